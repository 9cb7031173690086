"""Name pools for the demo signatories: names as people write them, by country and script."""

from __future__ import annotations

# fmt: off
# ruff: noqa: E501
# group: (full names, organisation name templates with {city}, cities)
GROUPS: dict[str, tuple[list[str], list[str], list[str]]] = {
    "az": (
        ["Leyla Məmmədova", "Rəşad Əliyev", "Aysel Hüseynova", "Elnur Quliyev", "Günel Həsənova",
         "Tural Abbasov", "Nigar Rzayeva", "Orxan İsmayılov", "Səbinə Kərimova", "Kamran Nəsirov",
         "Fidan Cəfərova", "Vüsal Babayev"],
        ["{city} Ekoloji Birliyi", "{city} Yaşıl Gələcək İctimai Birliyi"],
        ["Bakı", "Gəncə", "Sumqayıt", "Lənkəran", "Şəki"],
    ),
    "ru": (
        ["Анна Иванова", "Дмитрий Смирнов", "Ольга Кузнецова", "Сергей Попов", "Мария Соколова",
         "Алексей Волков", "Елена Морозова", "Игорь Лебедев", "Наталья Орлова"],
        ["Экологическая сеть «{city}»", "Центр устойчивого развития ({city})"],
        ["Москва", "Иркутск", "Минск", "Бишкек", "Казань"],
    ),
    "kz": (
        ["Айгерим Нурланқызы", "Ерлан Сейткали", "Жанар Абдрахманова", "Бакыт Токтогулов",
         "Айжан Мамбетова", "Нурлан Жумабеков", "Гульмира Касымова", "Даурен Оспанов"],
        ["Экологический союз «{city}»", "{city} жасыл желісі"],
        ["Алматы", "Астана", "Ош", "Шымкент"],
    ),
    "uk": (
        ["Олена Коваленко", "Андрій Шевченко", "Ірина Бондаренко", "Тарас Мельник",
         "Оксана Ткаченко", "Богдан Кравчук"],
        ["Екологічна мережа «{city}»"],
        ["Київ", "Львів", "Одеса"],
    ),
    "ar": (
        ["فاطمة الزهراء بنعلي", "محمد الحسيني", "ليلى منصور", "أحمد حداد", "مريم السيد",
         "يوسف الخطيب", "نور عبد الله", "خالد العمري", "سلمى بن يوسف", "عمر الفاسي"],
        ["جمعية البيئة والتنمية في {city}", "شبكة العمل المناخي - {city}"],
        ["القاهرة", "الرباط", "عمّان", "تونس", "بيروت", "الخرطوم"],
    ),
    "fa": (
        ["سارا احمدی", "علی حسینی", "مریم رضایی", "رضا کریمی", "نگار موسوی", "حمید نوری"],
        ["انجمن محیط زیست {city}"],
        ["تهران", "شیراز", "کابل", "هرات"],
    ),
    "ur": (
        ["عائشہ خان", "علی رضا", "زینب ملک", "عمران قریشی", "فریحہ شیخ"],
        ["{city} ماحولیاتی تنظیم"],
        ["لاہور", "کراچی", "اسلام آباد"],
    ),
    "hi": (
        ["आरव शर्मा", "प्रिया वर्मा", "अनन्या पटेल", "राहुल सिंह", "सुनीता गुप्ता", "विक्रम थापा",
         "दीपा श्रेष्ठ", "अर्जुन अधिकारी", "मीरा जोशी", "सीता राई"],
        ["{city} पर्यावरण मंच", "जलवायु कार्य नेटवर्क {city}"],
        ["दिल्ली", "मुंबई", "काठमांडू", "पुणे", "पोखरा"],
    ),
    "bn": (
        ["ফাতেমা আহমেদ", "রহিম চৌধুরী", "তাসনিম হোসেন", "আরিফ রহমান", "নুসরাত ইসলাম"],
        ["{city} পরিবেশ আন্দোলন"],
        ["ঢাকা", "খুলনা", "চট্টগ্রাম"],
    ),
    "ta": (
        ["கவிதா ராஜேந்திரன்", "முருகன் செல்வம்", "நிர்மலா குமார்", "அருண் பிரகாஷ்"],
        ["{city} பசுமை இயக்கம்"],
        ["கொழும்பு", "யாழ்ப்பாணம்"],
    ),
    "ka": (
        ["ნინო ბერიძე", "გიორგი მაისურაძე", "თამარ ლომიძე", "ლევან კაპანაძე", "ანა გელაშვილი"],
        ["მწვანე ალტერნატივა {city}"],
        ["თბილისი", "ბათუმი", "ქუთაისი"],
    ),
    "hy": (
        ["Անի Հակոբյան", "Արամ Պետրոսյան", "Լիլիթ Սարգսյան", "Դավիթ Գրիգորյան"],
        ["{city} Էկոլոգիական կենտրոն"],
        ["Երևան", "Գյումրի"],
    ),
    "th": (
        ["สมชาย ใจดี", "สุดา วงศ์ไทย", "อนุชา ศรีสุข", "มาลี แก้วมณี"],
        ["เครือข่ายสิ่งแวดล้อม{city}"],
        ["เชียงใหม่", "กรุงเทพฯ"],
    ),
    "am": (
        ["ሰላም ተስፋዬ", "አበበ ከበደ", "ሄለን ገብረመድህን", "ዮሐንስ ታደሰ", "ማርታ ኃይሌ"],
        ["የ{city} አረንጓዴ ማህበር"],
        ["አዲስ አበባ", "አስመራ", "ባህር ዳር"],
    ),
    "el": (
        ["Ελένη Παπαδοπούλου", "Γιώργος Νικολάου", "Μαρία Γεωργίου", "Νίκος Δημητρίου"],
        ["Περιβαλλοντική Κίνηση {city}"],
        ["Αθήνα", "Λευκωσία"],
    ),
    "mn": (
        ["Энхжаргал Батболд", "Болормаа Ганбаатар", "Тэмүүжин Баяр"],
        ["{city} ногоон хөдөлгөөн"],
        ["Улаанбаатар"],
    ),
    "my": (
        ["အောင်ကိုကို", "ခင်မာလာ", "ဇော်မင်းထွန်း"],
        ["{city} သဘာဝပတ်ဝန်းကျင်အဖွဲ့"],
        ["ရန်ကုန်"],
    ),
    "es": (
        ["María Fernanda Quispe", "José Luis Mamani", "Lucía Hernández", "Carlos Andrés Gómez",
         "Camila Torres", "Diego Vargas", "Valentina Flores", "Paola Rodríguez", "Jorge Ramírez",
         "Ximena Chávez", "Andrés Castillo", "Gabriela Morales"],
        ["Fundación Clima {city}", "Red de Acción Climática de {city}", "Colectivo Ambiental {city}"],
        ["La Paz", "Lima", "Bogotá", "Quito", "Ciudad de Guatemala", "Tegucigalpa", "Asunción"],
    ),
    "pt": (
        ["Ana Beatriz Silva", "João Pedro Santos", "Mariana Oliveira", "Tiago Costa",
         "Fernanda Pereira", "Luís Macuácua", "Rosa Nhantumbo", "Celso Cossa", "Domingas Tavares"],
        ["Instituto Clima e Sociedade de {city}", "Rede Ambiental de {city}"],
        ["Recife", "Maputo", "Luanda", "Praia", "Belém", "Díli"],
    ),
    "fr": (
        ["Aminata Diallo", "Moussa Traoré", "Fatou Ndiaye", "Ibrahima Koné", "Awa Ouédraogo",
         "Cheikh Sow", "Mariam Camara", "Ousmane Diop", "Aïssatou Bah", "Jean-Baptiste Mbemba",
         "Hery Rakotomalala", "Clarisse Uwimana"],
        ["Association Climat et Développement de {city}", "Réseau Environnement {city}"],
        ["Dakar", "Bamako", "Ouagadougou", "Abidjan", "Niamey", "Kinshasa", "Antananarivo"],
    ),
    "en_africa": (
        ["Chinedu Okafor", "Ama Mensah", "Wanjiru Mwangi", "Kwame Boateng", "Nomvula Dlamini",
         "Tendai Moyo", "Grace Achieng", "Baraka Otieno", "Abena Owusu", "Thabo Nkosi",
         "Chisomo Banda", "Fatmata Kamara"],
        ["{city} Climate Action Network", "Green Youth Initiative {city}", "{city} Women for Climate"],
        ["Lagos", "Accra", "Nairobi", "Kampala", "Lusaka", "Harare", "Freetown", "Lilongwe"],
    ),
    "en_caribbean": (
        ["Keisha Campbell", "Andre Williams", "Shanice Thompson", "Marlon Joseph",
         "Renée Baptiste", "Devon Persaud"],
        ["{city} Climate Resilience Network"],
        ["Kingston", "Port of Spain", "Bridgetown", "Georgetown"],
    ),
    "pacific": (
        ["Litia Vakaloloma", "Sione Tupou", "Mele Fifita", "Tevita Lolohea", "Salote Fonua",
         "Teuila Faleolo", "Teresia Teaiwa"],
        ["Pacific Climate Warriors {city}", "{city} Island Voices"],
        ["Suva", "Apia", "Nukuʻalofa", "Port Vila", "Tarawa"],
    ),
    "sea": (
        ["Siti Rahayu", "Budi Santoso", "Dewi Lestari", "Maria Kristina Reyes", "Jose Dela Cruz",
         "Nguyễn Thị Lan", "Trần Văn Minh", "Phạm Thu Hà", "Nurul Aisyah", "Ahmad Faiz"],
        ["Yayasan Iklim {city}", "{city} Climate Justice Coalition"],
        ["Jakarta", "Manila", "Hà Nội", "Kuala Lumpur", "Cebu"],
    ),
    "tr": (
        ["Ayşe Yılmaz", "Mehmet Demir", "Zeynep Kaya", "Emre Çelik"],
        ["{city} İklim Ağı"],
        ["İstanbul", "İzmir"],
    ),
    "ro": (
        ["Ana Popescu", "Ion Rusu", "Elena Ceban", "Mihai Lungu"],
        ["Asociația Clima {city}"],
        ["Chișinău", "Cluj", "Bălți"],
    ),
    "eu": (
        ["Anna Müller", "Jonas Schmidt", "Claire Dubois", "Luca Rossi", "Sofia Bianchi",
         "Marta Kowalska", "Piotr Nowak", "Lena Johansson", "Pieter de Vries", "Inés Martín",
         "Sinéad Murphy", "Tomáš Novák"],
        ["{city} Climate Alliance", "Klimabündnis {city}", "Réseau Action Climat {city}"],
        ["Berlin", "Bruxelles", "Wien", "Kraków", "Utrecht", "Dublin"],
    ),
    "en": (
        ["Emily Johnson", "Michael Brown", "Sarah Wilson", "David Lee", "Priya Nair",
         "James O'Connor", "Aroha Ngata"],
        ["{city} Sustainable Cities Forum", "Climate Action {city}"],
        ["Toronto", "Chicago", "Wellington", "Melbourne"],
    ),
    "la_zh": (
        ["Li Wei", "Wang Fang", "Zhang Min", "Chen Jing", "Kim Min-ji", "Park Ji-ho",
         "Sato Yuki", "Tanaka Haruto"],
        ["{city} Green Development Centre"],
        ["Beijing", "Seoul", "Kunming"],
    ),
    "km": (
        ["សុខ ចាន់ធី", "ស្រី ពៅ", "វណ្ណា រតនា"],
        ["បណ្ដាញបរិស្ថាន{city}"],
        ["ភ្នំពេញ"],
    ),
    "si": (
        ["නිමාලි පෙරේරා", "කසුන් සිල්වා", "දිල්රුක්ෂි ප්‍රනාන්දු"],
        ["{city} හරිත සංසදය"],
        ["කොළඹ"],
    ),
}

# 137 countries, as at the real Baku declaration, each with the pool its signers come from.
COUNTRIES: dict[str, str] = {
    "AZ": "az", "TR": "tr", "GE": "ka", "AM": "hy", "KZ": "kz", "KG": "kz", "UZ": "kz",
    "TJ": "fa", "TM": "kz", "RU": "ru", "BY": "ru", "UA": "uk", "MD": "ro", "RO": "ro",
    "MN": "mn", "IR": "fa", "AF": "fa", "PK": "ur", "IN": "hi+ta", "NP": "hi", "BD": "bn",
    "LK": "si+ta", "BT": "hi", "MV": "en", "MM": "my", "TH": "th", "KH": "km", "LA": "sea",
    "VN": "sea", "MY": "sea", "ID": "sea", "PH": "sea", "TL": "pt", "CN": "la_zh",
    "FJ": "pacific", "PG": "pacific", "SB": "pacific",
    "VU": "pacific", "WS": "pacific", "TO": "pacific", "KI": "pacific", "TV": "pacific",
    "EG": "ar",
    "MA": "ar", "DZ": "ar", "TN": "ar", "LY": "ar", "SD": "ar", "JO": "ar", "LB": "ar",
    "IQ": "ar", "PS": "ar", "YE": "ar", "OM": "ar", "SA": "ar", "AE": "ar", "QA": "ar",
    "KW": "ar", "MR": "ar", "ET": "am", "ER": "am", "SO": "en_africa", "KE": "en_africa",
    "UG": "en_africa", "TZ": "en_africa", "RW": "fr", "BI": "fr", "CD": "fr", "CG": "fr",
    "CM": "fr", "GA": "fr", "TD": "fr", "NE": "fr", "ML": "fr", "BF": "fr",
    "SN": "fr", "GN": "fr", "CI": "fr", "TG": "fr", "BJ": "fr", "MG": "fr",
    "HT": "fr", "NG": "en_africa", "GH": "en_africa", "SL": "en_africa", "LR": "en_africa",
    "GM": "en_africa", "ZM": "en_africa", "ZW": "en_africa", "MW": "en_africa",
    "ZA": "en_africa", "BW": "en_africa", "NA": "en_africa", "LS": "en_africa",
    "SZ": "en_africa", "SS": "en_africa", "MZ": "pt", "AO": "pt", "CV": "pt", "GW": "pt",
    "ST": "pt", "BR": "pt", "PT": "pt", "MX": "es", "GT": "es", "HN": "es", "SV": "es",
    "NI": "es", "CR": "es", "PA": "es", "CU": "es", "DO": "es", "CO": "es", "VE": "es",
    "EC": "es", "PE": "es", "BO": "es", "PY": "es", "UY": "es", "AR": "es", "CL": "es",
    "ES": "es", "JM": "en_caribbean", "TT": "en_caribbean", "BB": "en_caribbean",
    "GY": "en_caribbean", "BS": "en_caribbean", "DE": "eu", "FR": "eu", "IT": "eu",
    "PL": "eu", "NL": "eu", "IE": "eu", "GR": "el", "CA": "en", "US": "en", "NZ": "en",
}
# fmt: on
