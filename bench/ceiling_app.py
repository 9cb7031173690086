"""The ceiling for bench/registration_load.py: the same stack (Flask, Flask-SQLAlchemy, psycopg,
gunicorn, PostgreSQL) answering a JSON POST with one INSERT and a commit, nothing else."""

from __future__ import annotations

import os
from datetime import UTC, datetime

from flask import Flask, jsonify, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import String, func, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from eventsys.config import engine_options, normalise_database_url


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class BenchInsert(db.Model):
    __tablename__ = "bench_inserts"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    display_name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]


def create_app() -> Flask:
    app = Flask(__name__)
    url = normalise_database_url(os.environ["EVENTSYS_DATABASE_URL"])
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(url, 30)  # same pool as eventsys
    db.init_app(app)

    @app.post("/insert")
    def insert():
        data = request.get_json()
        row = BenchInsert(
            email=data["email"], display_name=data["display_name"], created_at=datetime.now(UTC)
        )
        db.session.add(row)
        db.session.commit()
        return jsonify(id=row.id), 201

    @app.get("/healthz")
    def health():
        return jsonify(status="ok")

    return app


def create_schema() -> None:
    app = create_app()
    with app.app_context():
        db.create_all()


def count_rows() -> int:
    app = create_app()
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(BenchInsert)).scalar_one()
