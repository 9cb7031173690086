"""The demo's people: names as people write them, and their towns (data for eventsys/demo.py)."""

from __future__ import annotations

# Given names and surnames as people write them, with a Latin spelling where the script differs.
# (given, surname, latin or None); towns are real member-town-sized places of each country.
PEOPLE: dict[str, dict[str, list]] = {
    "PT": {
        "names": [
            ("João", "Conceição"),
            ("Inês", "Gonçalves"),
            ("Maria", "Magalhães"),
            ("Rui", "Simões"),
            ("Conceição", "Araújo"),
        ],
        "towns": ["Cascais", "Almada", "Torres Vedras", "Águeda", "Loulé"],
    },
    "ES": {
        "names": [
            ("Lucía", "Martínez"),
            ("Íñigo", "Ortiz"),
            ("Begoña", "Núñez"),
            ("Javier", "Peña"),
        ],
        "towns": ["Vitoria-Gasteiz", "Pamplona", "Sant Cugat del Vallès"],
    },
    "FR": {
        "names": [
            ("Élodie", "Lefèvre"),
            ("François", "Bénard"),
            ("Anaïs", "Moreau"),
            ("Loïc", "Garnier"),
        ],
        "towns": ["Grenoble", "Lorient", "Besançon"],
    },
    "DE": {
        "names": [("Jürgen", "Schäfer"), ("Anke", "Müller"), ("Jörg", "Weiß"), ("Lena", "Groß")],
        "towns": ["Frankfurt am Main", "Münster", "Heidelberg", "Freiburg im Breisgau"],
    },
    "IT": {
        "names": [
            ("Giulia", "Rossi"),
            ("Niccolò", "Bianchi"),
            ("Chiara", "Esposito"),
            ("Luca", "Ferrari"),
        ],
        "towns": ["Bologna", "Padova", "Torino"],
    },
    "NL": {
        "names": [
            ("Sanne", "de Vries"),
            ("Joost", "van Dijk"),
            ("Eline", "Bakker"),
            ("Daan", "Visser"),
        ],
        "towns": ["Utrecht", "Nijmegen"],
    },
    "BE": {
        "names": [
            ("Lotte", "Peeters"),
            ("Mathieu", "Dubois"),
            ("Wout", "Janssens"),
            ("Chloé", "Lambert"),
        ],
        "towns": ["Gent", "Leuven"],
    },
    "AT": {
        "names": [
            ("Theresa", "Huber"),
            ("Lukas", "Gruber"),
            ("Magdalena", "Wagner"),
            ("Florian", "Pichler"),
        ],
        "towns": ["Graz", "Innsbruck"],
    },
    "LU": {
        "names": [
            ("Claude", "Weber"),
            ("Nathalie", "Schmit"),
            ("Marc", "Hoffmann"),
            ("Sophie", "Kieffer"),
        ],
        "towns": ["Esch-sur-Alzette"],
    },
    "PL": {
        "names": [
            ("Małgorzata", "Wiśniewska"),
            ("Paweł", "Żak"),
            ("Agnieszka", "Łukasik"),
            ("Jędrzej", "Wójcik"),
        ],
        "towns": ["Gdańsk", "Wrocław", "Łódź"],
    },
    "CZ": {
        "names": [
            ("Tereza", "Dvořáková"),
            ("Jiří", "Černý"),
            ("Kateřina", "Svobodová"),
            ("Ondřej", "Novák"),
        ],
        "towns": ["Litoměřice", "Brno"],
    },
    "SK": {
        "names": [
            ("Zuzana", "Kováčová"),
            ("Ľubomír", "Hrnčiar"),
            ("Mária", "Horváthová"),
            ("Peter", "Baláž"),
        ],
        "towns": ["Košice"],
    },
    "HU": {
        "names": [("Zsófia", "Kovács"), ("Gábor", "Szűcs"), ("Réka", "Tóth"), ("Bence", "Nagy")],
        "towns": ["Pécs", "Szeged"],
    },
    "RO": {
        "names": [
            ("Ștefan", "Ștefănescu"),
            ("Ioana", "Țurcanu"),
            ("Răzvan", "Ionescu"),
            ("Mihaela", "Dumitrașcu"),
        ],
        "towns": ["Alba Iulia", "Cluj-Napoca", "Brașov"],
    },
    "BG": {
        "names": [
            ("Десислава", "Петрова", "Desislava Petrova"),
            ("Георги", "Иванов", "Georgi Ivanov"),
            ("Мария", "Димитрова", "Maria Dimitrova"),
            ("Стоян", "Георгиев", "Stoyan Georgiev"),
        ],
        "towns": ["Бургас", "Габрово"],
    },
    "UA": {
        "names": [
            ("Олена", "Коваленко", "Olena Kovalenko"),
            ("Андрій", "Шевченко", "Andrii Shevchenko"),
            ("Ірина", "Бондаренко", "Iryna Bondarenko"),
            ("Тарас", "Мельник", "Taras Melnyk"),
        ],
        "towns": ["Житомир", "Львів", "Вінниця"],
    },
    "MD": {
        "names": [
            ("Анна", "Пашковская", "Anna Pashkovskaya"),
            ("Ion", "Rusu"),
            ("Наталья", "Чебан", "Natalia Ceban"),
            ("Doina", "Ciobanu"),
        ],
        "towns": ["Chișinău", "Bălți"],
    },
    "BY": {
        "names": [
            ("Святлана", "Кавалёва", "Sviatlana Kavaliova"),
            ("Дзмітрый", "Лукашэвіч", "Dzmitry Lukashevich"),
            ("Алеся", "Шыманская", "Alesia Shymanskaya"),
            ("Павел", "Новік", "Pavel Novik"),
        ],
        "towns": ["Гродна"],
    },
    "KZ": {
        "names": [
            ("Айгерим", "Нурланова", "Aigerim Nurlanova"),
            ("Ерлан", "Сейтқали", "Yerlan Seitkali"),
            ("Динара", "Абенова", "Dinara Abenova"),
            ("Бауыржан", "Омаров", "Bauyrzhan Omarov"),
        ],
        "towns": ["Алматы"],
    },
    "AZ": {
        "names": [
            ("Rəşad", "Ələkbərov"),
            ("Günay", "Məmmədova"),
            ("Elçin", "Hüseynov"),
            ("Nərmin", "Əliyeva"),
            ("Şəhla", "Qasımova"),
        ],
        "towns": ["Gəncə", "Şəki", "Lənkəran"],
    },
    "GE": {
        "names": [
            ("Nino", "Beridze"),
            ("Giorgi", "Kapanadze"),
            ("Tamar", "Lomidze"),
            ("Levan", "Gelashvili"),
        ],
        "towns": ["Rustavi", "Kutaisi"],
    },
    "SE": {
        "names": [
            ("Åsa", "Lindström"),
            ("Björn", "Öberg"),
            ("Ingrid", "Sjöberg"),
            ("Måns", "Åkesson"),
        ],
        "towns": ["Växjö", "Malmö"],
    },
    "FI": {
        "names": [
            ("Päivi", "Mäkinen"),
            ("Jyrki", "Häkkinen"),
            ("Aino", "Järvinen"),
            ("Eero", "Lähteenmäki"),
        ],
        "towns": ["Lahti", "Turku"],
    },
    "DK": {
        "names": [
            ("Søren", "Jørgensen"),
            ("Mette", "Ærø"),
            ("Rasmus", "Østergaard"),
            ("Ida", "Bøgh"),
        ],
        "towns": ["Sønderborg"],
    },
    "GR": {
        "names": [
            ("Ελένη", "Παπαδοπούλου", "Eleni Papadopoulou"),
            ("Νίκος", "Γεωργίου", "Nikos Georgiou"),
            ("Δήμητρα", "Κωνσταντίνου", "Dimitra Konstantinou"),
            ("Γιώργος", "Αντωνίου", "Giorgos Antoniou"),
        ],
        "towns": ["Θεσσαλονίκη"],
    },
}
# Baku: NGOs from many countries of the South, writing their names in their own scripts.
SOUTH: dict[str, list[tuple[str, str, str | None]]] = {
    "AZ": [("Leyla", "Əhmədova", None), ("Tural", "Cəfərov", None), ("Aynur", "Vəliyeva", None)],
    "EG": [("مريم", "عبد الرحمن", "Maryam Abdelrahman"), ("أحمد", "حسن", "Ahmed Hassan")],
    "MA": [("فاطمة", "الزهراء", "Fatima Zahra"), ("يوسف", "العلوي", "Youssef Alaoui")],
    "JO": [("ليلى", "الخطيب", "Layla Al-Khatib")],
    "LB": [("نور", "حداد", "Nour Haddad")],
    "IN": [
        ("प्रिया", "शर्मा", "Priya Sharma"),
        ("अर्जुन", "क्षत्रिय", "Arjun Kshatriya"),
        ("श्रुति", "द्विवेदी", "Shruti Dwivedi"),
    ],
    "NP": [("सीता", "श्रेष्ठ", "Sita Shrestha"), ("बिकास", "थापा", "Bikas Thapa")],
    "BD": [("Farhana", "Rahman", None), ("Tanvir", "Hossain", None)],
    "PK": [("Ayesha", "Siddiqui", None)],
    "BR": [("Luíza", "Araújo", None), ("Caetano", "Gonçalves", None)],
    "MX": [("Ximena", "Hernández", None)],
    "CO": [("Valentina", "Muñoz", None)],
    "PE": [("Quispe", "Mamani", None)],
    "BO": [("Wara", "Condori", None)],
    "KE": [("Wanjiru", "Kamau", None), ("Otieno", "Odhiambo", None)],
    "NG": [("Chiamaka", "Okafor", None), ("Babatunde", "Adeyemi", None)],
    "GH": [("Akosua", "Mensah", None)],
    "SN": [("Aïssatou", "Diop", None)],
    "ZA": [("Thandiwe", "Nkosi", None)],
    "TZ": [("Neema", "Mwakyusa", None)],
    "ID": [("Siti", "Nurhaliza", None)],
    "PH": [("Maria", "Dela Cruz", None)],
    "FJ": [("Litia", "Vakaloloma", None)],
    "UZ": [("Дилноза", "Каримова", "Dilnoza Karimova")],
    "KG": [("Айпери", "Токтогулова", "Aiperi Toktogulova")],
}
