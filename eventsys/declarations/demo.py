"""The Baku declaration of the COP29 side event: 1,023 signatures from 137 countries, as signed
in November 2024, with names in the scripts people write them in; some chose not to be named."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from eventsys.db import utcnow
from eventsys.declarations.demo_names import COUNTRIES, GROUPS
from eventsys.declarations.models import (
    Declaration,
    Signature,
    SignatureKind,
    SignatureStatus,
    SignerKinds,
)
from eventsys.declarations.services import DeclarationData, create_declaration, signer_key
from eventsys.events.models import Event
from eventsys.i18n import local_to_utc
from eventsys.organisations.countries import country_name

TOTAL = 1023
# Where the networks that came to Baku are strongest (relative weights).
# fmt: off
STRONG = {
    "AZ": 60.0, "TR": 12.0, "KZ": 12.0, "GE": 10.0, "IN": 14.0, "NG": 12.0, "KE": 12.0,
    "BR": 12.0, "PK": 10.0, "BD": 11.0, "EG": 9.0, "PH": 10.0, "ID": 9.0, "MX": 8.0, "CO": 8.0,
    "ZA": 9.0, "UZ": 8.0, "NP": 8.0, "SN": 7.0, "UG": 7.0, "FJ": 6.0, "BO": 6.0, "MA": 7.0,
}
# The language each pool's organisation names are in (for the country's name).
LANGUAGE = {
    "az": "az", "ru": "ru", "kz": "ru", "uk": "uk", "ar": "ar", "fa": "fa", "ur": "ur",
    "hi": "hi", "bn": "bn", "ta": "ta", "ka": "ka", "hy": "hy", "th": "th", "am": "am",
    "el": "el", "mn": "mn", "my": "my", "es": "es", "pt": "pt", "fr": "fr", "tr": "tr",
    "ro": "ro", "km": "km", "si": "si",
}
# fmt: on
KEEP_WHOLE = {"la_zh", "my", "km"}  # names whose parts do not recombine across the pool
GENDERED = {"az", "ru", "kz", "uk", "el", "mn"}
SLUG = "baku-declaration"

TITLE = "Baku Declaration of NGOs on South-South Cooperation for Climate Action"
TEXT = """We, civil society organisations, local governments and people from the Global South and
their partners, meeting in Baku on the occasion of COP29, declare:

1. Climate finance must reach those who act first and suffer most: local governments, indigenous
peoples, women's and youth organisations. A new collective goal measured in trillions, not
billions, is a matter of justice, not charity.

2. South-South cooperation is a source of solutions: early warning systems shared between
island states, clean cooking spread from village to village, cities learning from cities.
We commit to open our knowledge, our data and our methods to one another.

3. Adaptation is not optional. Every national plan must fund locally led adaptation and count
loss and damage honestly.

4. We will hold our governments to the 1.5 °C limit and report every year, in our own languages,
on what has been done.

We invite every organisation and every person who shares these commitments to sign."""
TRANSLATIONS = {
    "ru": (
        "Бакинская декларация НКО о сотрудничестве Юг–Юг в борьбе с изменением климата",
        """Мы, организации гражданского общества, местные власти и люди Глобального Юга и наши
партнёры, собравшиеся в Баку во время COP29, заявляем:

1. Климатическое финансирование должно доходить до тех, кто действует первым и страдает больше
всех: местных властей, коренных народов, женских и молодёжных организаций.

2. Сотрудничество Юг–Юг — источник решений. Мы обязуемся открыть друг другу наши знания,
данные и методы.

3. Адаптация не является необязательной. Каждый национальный план должен финансировать
адаптацию под руководством местных сообществ.

4. Мы будем требовать от наших правительств соблюдения предела в 1,5 °C и ежегодно отчитываться
на наших языках о сделанном.

Мы приглашаем подписать эту декларацию всех, кто разделяет эти обязательства.""",
    ),
    "pt": (
        "Declaração de Baku das ONG sobre a Cooperação Sul-Sul para a Ação Climática",
        """Nós, organizações da sociedade civil, governos locais e pessoas do Sul Global e os nossos
parceiros, reunidos em Baku por ocasião da COP29, declaramos:

1. O financiamento climático deve chegar a quem age primeiro e mais sofre: governos locais, povos
indígenas, organizações de mulheres e de jovens.

2. A cooperação Sul-Sul é uma fonte de soluções. Comprometemo-nos a partilhar uns com os outros
o nosso conhecimento, os nossos dados e os nossos métodos.

3. A adaptação não é opcional. Cada plano nacional deve financiar a adaptação liderada
localmente.

4. Exigiremos aos nossos governos o limite de 1,5 °C e relataremos todos os anos, nas nossas
línguas, o que foi feito.

Convidamos todas as organizações e pessoas que partilham estes compromissos a assinar.""",
    ),
}


def _unwrap(text: str) -> str:
    """The texts above are wrapped for the source file; paragraphs are what the page shows."""
    return "\n\n".join(" ".join(p.split()) for p in text.split("\n\n"))


class _Names:
    """Recombines each pool's given names and surnames (keeping grammatical gender where
    surnames carry it), so a thousand signatories do not repeat a dozen names."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def person(self, group: str) -> str:
        names = GROUPS[group][0]
        first = self.rng.choice(names)
        if " " not in first or group in KEEP_WHOLE:
            return first
        given, _, family = first.rpartition(" ")
        candidates = [n.rpartition(" ")[2] for n in names if " " in n]
        if group in GENDERED:
            female = _is_female(family)
            candidates = [c for c in candidates if _is_female(c) == female]
        return f"{given} {self.rng.choice(candidates)}"

    def organisation(self, group: str, country: str) -> str:
        """A name in the pool's language, placed in the signer's country (a city of the pool
        only where the pool is that country's own)."""
        _, templates, cities = GROUPS[group]
        place = country_name(country, LANGUAGE.get(group, "en"))
        single_country = [g for g in COUNTRIES.values() if group in g.split("+")] == [group]
        if single_country and self.rng.random() < 0.5:
            place = self.rng.choice(cities)
        return self.rng.choice(templates).format(city=place)


def _is_female(surname: str) -> bool:
    return surname.endswith(("a", "а", "ου", "ая", "ы"))


def _per_country(rng: random.Random, total: int) -> dict[str, int]:
    """At least one signature per country, the host country many, a long tail elsewhere."""
    weights = {code: min(rng.paretovariate(1.5), 5.0) for code in COUNTRIES}
    weights.update(STRONG)
    remaining = total - len(COUNTRIES)
    scale = remaining / sum(weights.values())
    shares = {code: w * scale for code, w in weights.items()}
    counts = {code: 1 + int(share) for code, share in shares.items()}
    # Largest remainders take the places rounding left over.
    leftover = total - sum(counts.values())
    for code in sorted(shares, key=lambda c: shares[c] - int(shares[c]), reverse=True)[:leftover]:
        counts[code] += 1
    return counts


def _when(rng: random.Random, opens: datetime, closes: datetime) -> datetime:
    # Most people sign in the first days, at the conference.
    return opens + (closes - opens) * (rng.random() ** 2.2)


def load(session: Session, ctx: Any) -> Declaration:
    _almada_commitment(session)
    event = ctx.baku
    opens = local_to_utc(datetime(2024, 11, 15, 17, 0), event.timezone)
    closes = local_to_utc(datetime(2024, 11, 22, 18, 0), event.timezone)
    declaration = create_declaration(
        session,
        event,
        DeclarationData(
            slug=SLUG,
            title=TITLE,
            text=_unwrap(TEXT),
            opens_at=opens,
            closes_at=closes,
            signer_kinds=SignerKinds.BOTH.value,
            is_published=True,
            translations={k: (t, _unwrap(x)) for k, (t, x) in TRANSLATIONS.items()},
        ),
    )
    rng = random.Random(29)
    names = _Names(rng)
    keys: set[str] = set()
    rows: list[Signature] = []

    def add(status: SignatureStatus, **values: Any) -> None:
        key = signer_key(
            values["kind"], values["email"], values["organisation_name"], values["country"]
        )
        if key in keys:
            values["kind"], values["organisation_name"] = SignatureKind.PERSON, ""
            key = signer_key(SignatureKind.PERSON, values["email"], "", values["country"])
        keys.add(key)
        signed = _when(rng, opens, closes)
        rows.append(
            Signature(
                declaration=declaration,
                signer_key=key,
                status=status,
                created_at=signed,
                confirmed_at=signed + timedelta(minutes=rng.randint(1, 90))
                if status != SignatureStatus.PENDING
                else None,
                withdrawn_at=closes - timedelta(hours=rng.randint(2, 100))
                if status == SignatureStatus.WITHDRAWN
                else None,
                is_public=rng.random() < 0.8,
                **values,
            )
        )

    counts = _per_country(rng, TOTAL)
    # Registered participants sign first, logged in.
    for registration in (ctx.registrations.get(event.slug) or [])[:150]:
        if counts.get(registration.country or "", 0) > 1:
            counts[registration.country] -= 1
            add(
                SignatureStatus.CONFIRMED,
                kind=SignatureKind.PERSON,
                user_id=registration.user_id,
                email=registration.email,
                display_name=registration.display_name,
                organisation_name=registration.organisation_name
                if registration.show_organisation
                else "",
                country=registration.country,
            )
    number = 0
    for country, count in sorted(counts.items()):
        groups = COUNTRIES[country].split("+")
        for _ in range(count):
            number += 1
            group = rng.choice(groups)
            as_organisation = rng.random() < 0.15
            add(
                SignatureStatus.CONFIRMED,
                kind=SignatureKind.ORGANISATION if as_organisation else SignatureKind.PERSON,
                email=f"signatory{number:04d}@example.org",
                display_name=names.person(group),
                organisation_name=names.organisation(group, country) if as_organisation else "",
                country=country,
            )
    # A few who never confirmed, and a few who withdrew: neither counts.
    for index, status in enumerate([SignatureStatus.PENDING] * 6 + [SignatureStatus.WITHDRAWN] * 9):
        country = rng.choice(sorted(COUNTRIES))
        add(
            status,
            kind=SignatureKind.PERSON,
            email=f"unconfirmed{index:02d}@example.org",
            display_name=names.person(COUNTRIES[country].split("+")[0]),
            organisation_name="",
            country=country,
        )
    session.add_all(rows)
    session.flush()
    return declaration


def _almada_commitment(session: Session) -> None:
    """An open declaration at the upcoming workshop, so visitors can try signing one."""
    event = session.execute(
        select(Event).where(Event.slug == "climate-alliance-workshop-next")
    ).scalar_one_or_none()
    if event is None:
        return
    create_declaration(
        session,
        event,
        DeclarationData(
            slug="almada-warm-homes",
            title="Almada Commitment on Warm Homes",
            text="Every home in our towns warm in winter and cool in summer, at a cost people can "
            "pay. We commit to renovation advice at every town hall counter, to energy "
            "communities in social housing, and to no disconnections in the cold months.",
            opens_at=utcnow() - timedelta(days=1),
            closes_at=event.ends_at + timedelta(days=30),
            signer_kinds=SignerKinds.BOTH.value,
            is_published=True,
            translations={
                "pt": (
                    "Compromisso de Almada para Casas Quentes",
                    "Todas as casas das nossas cidades quentes no inverno e frescas no verão, a "
                    "um custo que as pessoas possam pagar.",
                )
            },
        ),
    )
