"""Word lists the field parser leans on: job-title words, organisation suffixes, places, degrees."""

from __future__ import annotations

TITLE_WORDS = frozenset(
    """engineer engineering developer programmer architect manager director lead head principal staff senior junior
    intern internship trainee analyst scientist researcher consultant designer administrator admin specialist officer
    coordinator associate assistant owner founder co-founder cofounder cto ceo cfo coo vp president chief
    technician teacher lecturer professor instructor tutor writer editor accountant auditor advisor representative
    executive recruiter nurse physician doctor product devops sre sdet qa tester fellow postdoc apprentice student
    strategist marketer operator supervisor partner freelance freelancer contractor expert evangelist steward
    entwickler softwareentwickler ingenieur berater leiter werkstudent praktikant projektleiter teamleiter
    entwicklerin ingenieurin beraterin leiterin
    ingénieur ingenieur développeur developpeur chef responsable stagiaire chargé charge consultante
    ingeniero desarrollador desarrolladora jefe gerente becario analista consultor diretor desenvolvedor gestor
    estagiário estagiario sviluppatore ingegnere responsabile tirocinante stagista""".split()
)

ORG_SUFFIXES = frozenset(
    """inc inc. llc ltd ltd. limited corp corp. corporation co co. company gmbh ag kg se sa s.a. sas sarl s.l. sl
    spa s.p.a. srl s.r.l. bv b.v. nv plc pty oy ab as group holdings labs lab technologies technology tech systems
    solutions software studio studios partners ventures bank consulting networks health media analytics digital
    foundation institute agency services capital insurance energy motors airlines pharma robotics games
    university universität universite université universidad universidade università college school hochschule
    academy gmbh & co.""".split()
)

INSTITUTION_WORDS = (
    "university", "universität", "universitat", "université", "universite", "universidad", "universidade",
    "università", "universita", "college", "school", "institute", "institut", "instituto", "istituto",
    "hochschule", "fachhochschule", "école", "ecole", "politecnico", "polytechnic", "academy", "akademie",
    "academia", "accademia", "eth ", "epfl", "tu ", "lycée", "gymnasium", "faculty", "fakultät", "conservatory",
)  # fmt: skip

DEGREE_PATTERNS = (
    r"bachelor(?:'s)?(?: of (?:science|arts|engineering|business administration|laws|fine arts|education|technology))?",
    r"master(?:'s)?(?: of (?:science|arts|engineering|business administration|laws|fine arts|education|technology|philosophy))?",
    r"ph\.?\s?d\.?", r"doctor(?:ate)?(?: of [a-z]+)?", r"mba", r"b\.?\s?sc\.?", r"m\.?\s?sc\.?", r"b\.?\s?a\.?",
    r"m\.?\s?a\.?", r"b\.?\s?eng\.?", r"m\.?\s?eng\.?", r"b\.?\s?s\.?", r"m\.?\s?s\.?", r"associate(?:'s)? degree",
    r"diplom(?:a)?(?:-[a-z]+)?", r"abitur", r"licence", r"licenciatura", r"licenciado", r"laurea(?: magistrale| triennale)?",
    r"máster", r"mestrado", r"grado", r"graduação", r"bacharelado", r"doutorado", r"dottorato", r"diplôme(?: d'ingénieur)?",
    r"ingénieur", r"high school diploma", r"a-levels", r"staatsexamen", r"magister", r"meng", r"beng", r"bsc", r"msc",
)  # fmt: skip

COUNTRIES = {
    "germany": "DE", "deutschland": "DE", "allemagne": "DE", "alemania": "DE", "alemanha": "DE", "germania": "DE",
    "france": "FR", "frankreich": "FR", "francia": "FR", "frança": "FR", "spain": "ES", "españa": "ES", "spanien": "ES",
    "espagne": "ES", "spagna": "ES", "portugal": "PT", "italy": "IT", "italia": "IT", "italien": "IT", "italie": "IT",
    "united kingdom": "GB", "uk": "GB", "england": "GB", "scotland": "GB", "ireland": "IE", "netherlands": "NL",
    "the netherlands": "NL", "niederlande": "NL", "belgium": "BE", "belgique": "BE", "switzerland": "CH",
    "schweiz": "CH", "suisse": "CH", "austria": "AT", "österreich": "AT", "poland": "PL", "sweden": "SE",
    "norway": "NO", "denmark": "DK", "finland": "FI", "czechia": "CZ", "czech republic": "CZ", "greece": "GR",
    "united states": "US", "usa": "US", "us": "US", "u.s.": "US", "canada": "CA", "mexico": "MX", "méxico": "MX",
    "brazil": "BR", "brasil": "BR", "argentina": "AR", "chile": "CL", "colombia": "CO", "peru": "PE",
    "india": "IN", "china": "CN", "japan": "JP", "singapore": "SG", "australia": "AU", "new zealand": "NZ",
    "south africa": "ZA", "nigeria": "NG", "kenya": "KE", "egypt": "EG", "israel": "IL", "turkey": "TR",
    "united arab emirates": "AE", "uae": "AE", "romania": "RO", "hungary": "HU", "ukraine": "UA", "luxembourg": "LU",
}  # fmt: skip

CITIES = {
    "berlin": "DE", "munich": "DE", "münchen": "DE", "hamburg": "DE", "frankfurt": "DE", "cologne": "DE", "köln": "DE",
    "stuttgart": "DE", "düsseldorf": "DE", "leipzig": "DE", "dresden": "DE", "paris": "FR", "lyon": "FR",
    "marseille": "FR", "toulouse": "FR", "bordeaux": "FR", "lille": "FR", "nantes": "FR", "madrid": "ES",
    "barcelona": "ES", "valencia": "ES", "seville": "ES", "sevilla": "ES", "bilbao": "ES", "málaga": "ES",
    "lisbon": "PT", "lisboa": "PT", "porto": "PT", "braga": "PT", "coimbra": "PT", "rome": "IT", "roma": "IT",
    "milan": "IT", "milano": "IT", "turin": "IT", "torino": "IT", "naples": "IT", "napoli": "IT", "bologna": "IT",
    "florence": "IT", "firenze": "IT", "london": "GB", "manchester": "GB", "edinburgh": "GB", "cambridge": "GB",
    "oxford": "GB", "bristol": "GB", "dublin": "IE", "amsterdam": "NL", "rotterdam": "NL", "utrecht": "NL",
    "brussels": "BE", "zurich": "CH", "zürich": "CH", "geneva": "CH", "vienna": "AT", "wien": "AT", "warsaw": "PL",
    "krakow": "PL", "stockholm": "SE", "oslo": "NO", "copenhagen": "DK", "helsinki": "FI", "prague": "CZ",
    "athens": "GR", "new york": "US", "san francisco": "US", "seattle": "US", "austin": "US", "boston": "US",
    "chicago": "US", "los angeles": "US", "denver": "US", "atlanta": "US", "toronto": "CA", "vancouver": "CA",
    "montreal": "CA", "são paulo": "BR", "sao paulo": "BR", "rio de janeiro": "BR", "buenos aires": "AR",
    "mexico city": "MX", "bangalore": "IN", "bengaluru": "IN", "mumbai": "IN", "singapore": "SG", "tokyo": "JP",
    "sydney": "AU", "melbourne": "AU", "tel aviv": "IL", "dubai": "AE", "cape town": "ZA", "lagos": "NG",
    "nairobi": "KE", "bucharest": "RO", "budapest": "HU", "kyiv": "UA", "luxembourg": "LU", "remote": "",
}  # fmt: skip

US_STATES = frozenset(
    "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR "
    "PA RI SC SD TN TX UT VT VA WA WV WI WY DC".split()
)

LANGUAGE_NAMES = frozenset(
    """english german french spanish portuguese italian dutch polish russian ukrainian chinese mandarin cantonese
    japanese korean arabic hindi bengali urdu turkish greek swedish norwegian danish finnish czech hungarian romanian
    hebrew persian farsi vietnamese thai indonesian malay catalan basque galician swahili
    englisch deutsch französisch spanisch portugiesisch italienisch niederländisch russisch chinesisch japanisch
    anglais allemand français espagnol portugais italien néerlandais russe chinois japonais arabe
    inglés alemán francés español portugués italiano ruso chino japonés
    inglês alemão francês espanhol português russo chinês japonês
    inglese tedesco francese spagnolo portoghese russo cinese giapponese""".split()
)

FLUENCY_WORDS = (
    "native", "mother tongue", "bilingual", "fluent", "proficient", "professional working", "full professional",
    "advanced", "intermediate", "upper intermediate", "basic", "elementary", "beginner", "conversational",
    "muttersprache", "fließend", "verhandlungssicher", "gut", "grundkenntnisse", "langue maternelle", "courant",
    "bilingue", "notions", "nativo", "nativa", "lengua materna", "fluido", "fluente", "madrelingua", "c2", "c1",
    "b2", "b1", "a2", "a1",
)  # fmt: skip
