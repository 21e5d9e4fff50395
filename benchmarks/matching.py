"""Benchmark of ``screening.matching`` against a naive full scan, on a synthetic register.

Run ``python -m benchmarks.matching`` (default sizes 10k, 100k, 1M) or ``--quick`` (10k only,
under a minute, for CI). Prints one markdown table: index build time and memory, single-query
latency p50/p95, batch throughput, and quality on labelled variants for the engine and for a
full ``rapidfuzz.process.cdist`` scan of the register's normalised names.

The register is Dutch-looking (Faker ``nl_NL`` name and street lists, resampled with a skewed
Zipf-like frequency so that "de Jong" and "Jansen" are common and most names rare, plus a long
tail of composed Dutch surnames) with foreign residents (Polish, Romanian, Bulgarian,
Ukrainian in Cyrillic, Moroccan and Turkish names). Queries are either a *listed* entity
rewritten with real-world errors (typos, initials, roepnamen, swapped fields, partner names,
transliterations, dropped particles, missing or day/month-swapped birth dates, moved or
reformatted addresses, legal forms, word order) or an *unlisted* applicant drawn from the same
population, who may share a name with register entries. The variant generator knows nothing of
the engine's keys or weights.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import gc
import os
import random
import string
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from anyascii import anyascii

from screening.matching import REVIEW_THRESHOLD, Address, AddressRecord, Matcher, Organisation, Person
from screening.matching import normalise as nm


def _words(text: str, sep: str | None = None) -> list[str]:
    return text.split(sep)


# ---------------------------------------------------------------------------------------------
# Name pools
# ---------------------------------------------------------------------------------------------
#
# Why not Faker alone: Faker nl_NL has ~1,130 surnames and ~500 given names. Drawn a million
# times that makes two thirds of all persons exact namesakes of another register entry, which a
# real register of a million people does not have (the Netherlands has ~314,000 distinct surnames
# on 17 million people, CBG 2007; in a random sample of a million that is well over 100,000
# distinct surnames, with a Zipf-like head: de Jong 0.53 %, the top ten together 3.6 %). A
# register full of indistinguishable namesakes measures the generator, not the engine. So the
# surnames are Faker's list plus Dutch names composed from real morphemes (heads, tails,
# derivational endings, patronymics, toponyms with particles, spelling variants), drawn with
# Zipf weights whose head is the real top list; given names are the real top names, Faker's
# Dutch, Belgian and other European lists, Frisian and hyphenated names; foreign residents get
# their own (larger) pools; company names mix owner names, brands, acronyms, stock words and
# places, so most are distinctive and some (stock words + a place or a common surname) are not.
# ``python -m benchmarks.matching --realism`` prints the resulting numbers.

#: The most frequent Dutch surnames, in order of their real frequency (CBG).
_TOP_SURNAMES = _words(
    "de Jong|Jansen|de Vries|van den Berg|van Dijk|Bakker|Janssen|Visser|Smit|Meijer|de Boer|Mulder|"
    "de Groot|Bos|Vos|Peters|Hendriks|van Leeuwen|Dekker|Brouwer|de Wit|Dijkstra|Smits|de Graaf|"
    "van der Meer|van der Linden|Kok|Jacobs|de Haan|Vermeulen|van den Heuvel|van der Veen|"
    "van den Broek|de Bruijn|de Bruin|van der Heijden|Schouten|van Beek|Willems|van Vliet|van de Ven|"
    "Hoekstra|Maas|Verhoeven|Koster|van Dam|van der Wal|Prins|Blom|Huisman|Peeters|de Jonge|Kuipers|"
    "van Veen|Post|Kuiper|Veenstra|Kramer|van den Brink|Scholten|van Wijk|Postma|Martens|Vink|de Ruiter",
    "|",
)
_SURNAME_HEADS = _words(
    "Aal Akker Ber Berk Bie Blok Bloem Boer Bol Bos Brand Breed Brink Broek Bron Brug Buur Dal Dam "
    "Deel Dijk Does Dom Dorp Dries Eek Eik Elzen Es Esch Geest Gel Goud Graaf Groen Groot Haag Haar "
    "Ham Harde Hazel Heem Heer Hei Helle Hoek Hof Hol Hoog Horst Hout Huis Hul Kaar Kamp Kerk Klei "
    "Klein Kloos Kol Kooi Kop Kort Kraai Kroon Laar Lamme Lan Leeu Lin Loo Maas Mol Molen Moor Nie "
    "Noord Oost Oude Over Pol Raa Ree Riet Rijn Rode Roo Schaap Schel Schoon Slag Sloot Smal Spijk "
    "Steen Stok Stroo Vaar Veen Vel Ven Vlie Vliet Voor Vos Wal Water Weer Wei West Wester Wil Wind "
    "Wit Wol Zand Zee Zijl Zon Zuid Zwaan Zwart Ooster Noorder Zuider Hooge Beuke Linde Wolter Roel "
    "Geert Harm Jelle Sieb Tjeer Wiebe Hiem Rietvel Mole Neder Hulst Braak Ploeg Smeen Slot Appel "
    "Baan Beuk Bleek Bult Dijkhuis Ekker Elve Gaas Gras Haver Heide Hen Hoven Klap Koe Koren Lange "
    "Lin Meer Mos Net Pas Peer Plas Raven Rog Ros Scheep Spor Tak Tol Veer Vlas Wagen Wijn Zwol"
)
_SURNAME_TAILS = _words(
    "berg dijk veen hout broek kamp man sma stra inga huis horst hof beek meijer ink ing link kema "
    "mans sen stein veld werf wijk zijl land holt erink haar hoven kes ker ema daal brug bosch hoek "
    "rade laar loo water hage hamer molen plas straten wal weg mate boom"
)
#: Derivational endings that turn one compound into several real-looking names (Berg, Bergen,
#: Berger, Bergs, Bergsma).
_SURNAME_ENDINGS = ("", "", "", "", "en", "er", "s", "e", "sma", "ink")
_PATRONYM_ROOTS = _words(
    "Aart Adriaan Albert Allard Anne Arend Arie Bart Berend Bouwe Claas Cornelis Dirk Douwe Egbert "
    "Evert Frans Freerk Gerben Gerrit Geert Gijs Gosse Harm Hendrik Herman Hidde Hylke Jacob Jan "
    "Jelle Jochem Joost Klaas Koen Lambert Lammert Lubbert Maarten Marten Meindert Melle Nanne Otte "
    "Pieter Reinder Rienk Roelof Rutger Sjoerd Siebe Sijbren Steven Teunis Thijs Tjalling Tjeerd "
    "Ubbe Wiebe Willem Wobbe Wolter Ype Yde Abe Hessel Folkert Jurjen Durk Eelke Feike"
)
_PATRONYM_SUFFIXES = ("s", "se", "sen", "sz", "sma", "stra", "inga", "ens", "ink", "x", "kes")
_SURNAME_PARTICLES = ("van", "van", "van", "de", "van der", "van den", "van de", "ter", "ten", "te", "van 't",
                      "in 't", "op de", "den")
#: Dutch spelling variants: several are distinct families in the register (Jansen/Janssen,
#: Meijer/Meyer, de Bruijn/de Bruin), and forms mix them up.
_SPELLING = (("ij", "y"), ("ei", "ij"), ("y", "ij"), ("ck", "k"), ("dt", "t"), ("ssen", "sen"), ("sen", "ssen"),
             ("ou", "au"), ("z", "s"), ("ph", "f"), ("gh", "g"), ("sch", "s"), ("ae", "aa"), ("c", "k"))
#: The most frequent Dutch first names, roughly in order.
_TOP_GIVEN = _words(
    "Maria Johannes Jan Cornelis Hendrik Anna Johanna Willem Pieter Peter Elisabeth Catharina Gerrit "
    "Hendrika Cornelia Margaretha Jacobus Petrus Dirk Wilhelmina Geertruida Adrianus Jacoba Thomas Mark "
    "Daan Sem Lucas Emma Sophie Julia Lisa Anouk Sanne Eva Fleur Lotte Jeroen Bas Kees Henk Wim"
)
_FRISIAN_GIVEN = _words(
    "Sjoerd Tjeerd Wiebe Jelle Hidde Sietse Auke Douwe Gerben Hylke Jildou Sjoukje Tjitske Wietske "
    "Froukje Aukje Baukje Geeske Hiske Sytske Durk Eelke Feike Folkert Gosse Jorrit Lolke Marten Oene "
    "Pier Rintje Sybren Tjalling Ype Wopke Anke Akke Femke Janke Minke Renske Sieta Trijntje Wiepkje"
)
_DOUBLE_GIVEN = _words(
    "Jan-Willem Jan-Pieter Pieter-Jan Anne-Marie Marie-José Ann-Sophie Jan-Kees Jan-Hendrik Anne-Fleur "
    "Klaas-Jan Gert-Jan Jan-Bart Marie-Louise Anne-Wil Jan-Paul Tjeerd-Jan Eva-Maria Rosa-Lie Jan-Dirk"
)
_ROMAN = {"а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "ё": "jo", "є": "je",
          "ж": "zj", "з": "z", "и": "i", "і": "i", "ї": "ji", "й": "j", "к": "k", "л": "l", "м": "m",
          "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "oe", "ф": "f", "х": "ch",
          "ц": "ts", "ч": "tsj", "ш": "sj", "щ": "sjtsj", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "joe",
          "я": "ja", "'": ""}
#: English-style romanisation (passports, international sources) where it differs from Dutch.
_ROMAN_EN = {**_ROMAN, "ё": "yo", "є": "ye", "ж": "zh", "ї": "yi", "й": "y", "у": "u", "х": "kh",
             "ч": "ch", "ш": "sh", "щ": "shch", "ю": "yu", "я": "ya", "ъ": "a"}


def romanise(text: str, table: dict[str, str]) -> str:
    """Cyrillic to Latin with a given table (Dutch 'Sjevtsjenko', English 'Shevchenko')."""
    out = []
    for ch in text:
        low = ch.lower()
        latin = table.get(low)
        if latin is None:
            out.append(ch)
        else:
            out.append(latin.capitalize() if ch != low and latin else latin)
    return "".join(out)


def _ma_spellings(name: str, rng: random.Random) -> list[str]:
    """Other Latin spellings of a Moroccan name as they appear on Dutch forms."""
    rules = (("ou", "oe"), ("ou", "u"), ("kh", "ch"), ("ch", "sh"), ("zz", "z"), ("dd", "d"), ("aa", "a"),
             ("i", "ie"), ("el ", "el-"), ("el ", ""), ("ben ", "ben"), ("ait ", "aït "), ("y", "i"))
    out = []
    low = name.lower()
    for _ in range(3):
        text = low
        for old, new in rng.sample(rules, 3):
            if old in text:
                text = text.replace(old, new, 1)
        if text != low and text not in out:
            out.append(" ".join(w.capitalize() for w in text.split(" ")).replace("-a", "-A"))
    return out


# Foreign residents: given names with Latin spelling variants, surname roots and endings.
_MA_GIVEN: dict[str, list[str]] = {
    "Mohammed": ["Muhammad", "Mohamed", "Mohamad"], "Ahmed": ["Ahmad"], "Youssef": ["Yusuf", "Youssouf", "Yousef"],
    "Fatima": ["Fatma"], "Khadija": ["Khadidja"], "Rachid": ["Rashid"], "Said": ["Saïd"], "Karim": ["Kareem"],
    "Nadia": [], "Abdelkader": ["Abdelkadir"], "Mustafa": ["Mustapha", "Moestafa"], "Hamza": [],
    "Mourad": ["Murad"], "Hassan": ["Hasan"], "Hicham": ["Hisham"], "Brahim": ["Ibrahim"], "Driss": ["Idriss"],
    "Omar": ["Umar"], "Ali": [], "Abdellah": ["Abdallah"], "Abdelaziz": [], "Abdelhak": [], "Abderrahim": [],
    "Adil": ["Adel"], "Anouar": ["Anwar"], "Aziz": [], "Bilal": [], "Jamal": ["Djamal"], "Jamila": ["Djamila"],
    "Khalid": ["Chalid", "Khaled"], "Latifa": [], "Malika": [], "Mohssine": ["Mohsin"], "Nordin": ["Noureddine"],
    "Otman": ["Othman"], "Rachida": ["Rashida"], "Samira": [], "Soufiane": ["Sufyan"], "Tarik": ["Tariq"],
    "Yassine": ["Yasin"], "Zakaria": ["Zakariya"], "Zineb": ["Zaynab"], "Naima": [], "Hafida": [], "Houria": [],
    "Ilham": [], "Imane": ["Iman"], "Ikram": [], "Loubna": ["Lubna"], "Meryem": ["Maryam", "Mariam"],
    "Najat": [], "Nora": [], "Saida": [], "Siham": [], "Souad": ["Suad"], "Wafae": ["Wafa"],
    "Yasmina": ["Yasmine"], "Karima": [], "Laila": ["Leila"], "Hakim": [], "Hamid": [], "Jaouad": ["Jawad"],
    "Mehdi": ["Mahdi"], "Nabil": [], "Redouan": ["Redouane", "Ridwan"], "Samir": [], "Tawfik": ["Toufik"],
    "Yahya": [], "Younes": ["Yunus"], "Zouhair": ["Zuhair"], "Achraf": ["Ashraf"], "Ayoub": ["Ayub"],
    "Badr": [], "Fouad": ["Fuad"], "Ilias": ["Ilyas"], "Soukaina": [], "Oussama": ["Osama"], "Anas": [],
}
_MA_PREFIXES = ("El ", "El ", "Ben", "Bou", "Ait ", "Al ", "", "", "")
_MA_ROOTS = _words(
    "Amrani Idrissi Hamdaoui Bakkali Khattabi Ouahabi Mansouri Ghazali Fassi Tazi Alaoui Chaoui Haddouchi "
    "Zerouali Azzouz Kaddour Mokhtar Nouri Rahmouni Slimani Yahyaoui Zaari Bennani Chraibi Aissaoui Akkouh "
    "Allouch Amezian Aouragh Azarkan Bahadi Belkadi Haddou Jdi Hali Chakir Chentouf Daoudi Derkaoui "
    "Yazidi Sabri Fadili Ghilani Hajji Hammouti Harrak Jabri Kabbaj Karroumi Kasmi Lahlou Laghmouchi "
    "Maataoui Mahdaoui Marzouki Meziani Moussaoui Naciri Najjar Ouardi Oufkir Raiss Rifi Saidi Sefrioui "
    "Tahiri Talbi Taoufik Touzani Wahbi Yachou Zaaraoui Ziani Zouhri Abbadi Achahbar Aharrouch Akalay "
    "Amallah Ammari Asrih Assabban Azaouagh Bachiri Barkani Benaissa Bouhouch Boukhari Chaouch Dahmani "
    "Ettaouil Farhane Gharbi Habchi Hamouchi Jaadar Kharbouch Khayari Lamrini Mallouk Mazouz Mimouni Nadori"
)
_TR_ROOTS = _words(
    "Ak Kara Yıl Öz Demir Çelik Kaya Aslan Er Gül Ay Tek Koç Şen Can Tun Bul Kor Bal Uç Al Ar Bay Bil "
    "Cem Dur Ekin Güven Kurt Karakaş Sarı Tok Yalçın Yavuz Aydın Bozkurt Doğru Gök Kılıç Kös Polat Sezer"
)
_TR_SUFFIXES = ("oğlu", "can", "kaya", "dağ", "er", "ci", "soy", "türk", "man", "taş", "el", "ay", "ok", "han")
_RO_ROOTS = _words(
    "Pop Ion Radu Dumitr Stan Stoic Munte Tudor Marin Gheorgh Constantin Lazar Vasil Nistor Olar Preda "
    "Roman Sandu Toma Ursu Vlad Zamfir Badea Bratu Ciobanu Dobre Enache Florea Grigor Iordach Manole Neagu"
)
_RO_SUFFIXES = ("escu", "eanu", "aru", "ache", "ilescu", "oiu", "anu", "ea", "u")
_BG_ROOTS = _words(
    "Иван Петр Георги Димитр Никол Стоян Христ Тодор Ангел Атанас Борис Васил Генч Данаил Емил Живк "
    "Запр Илие Йордан Кирил Любен Марин Недял Огнян Пейч Радосл Славч Трифон Христоз Цанк Янк"
)
_BG_SUFFIXES = ("ов", "ев", "ова", "ева", "анов", "чев", "ски")
_UA_ROOTS = _words(
    "Шевч Ковал Бондар Ткач Кравч Мельн Бойк Олійн Лис Марч Руд Савч Петр Гриц Сидор Мороз Кушн Павл Левч "
    "Гончар Дяч Кузьм Карп Луц Гуменю Остап Тарасю Яковл Фед"
)
_UA_SUFFIXES = ("енко", "ук", "юк", "ович", "ишин", "ак", "ець", "ко")
_PL_GIVEN_EXTRA = _words("Łukasz Paweł Michał Krzysztof Piotr Tomasz Agnieszka Małgorzata Katarzyna Wojciech "
                          "Grzegorz Magdalena Dariusz Mariusz Jarosław Przemysław Zbigniew Bożena Jadwiga "
                          "Urszula Dorota Ewelina Sławomir Radosław Mirosław")

#: Share of persons by origin (the rest is Dutch). EU: German, Belgian, French, Italian, Spanish,
#: Portuguese and British residents with names from Faker's locales.
_FOREIGN_SHARE = {"PL": 0.06, "RO": 0.03, "BG": 0.02, "UA": 0.03, "MA": 0.05, "TR": 0.04, "EU": 0.04}
#: Faker locales (Latin script) whose first names make the long tail of given names in the Netherlands.
_OTHER_GIVEN_LOCALES = ("de_DE", "de_AT", "de_CH", "en", "en_GB", "en_IE", "ga_IE", "en_US", "en_NZ", "en_IN", "en_PK",
                        "en_KE", "sw", "tw_GH", "yo_NG", "id_ID", "fr_FR", "fr_BE", "it_IT", "es_ES", "es_CO",
                        "pt_PT", "pt_BR", "sv_SE", "da_DK", "no_NO", "fi_FI", "hr_HR", "sl_SI", "cs_CZ", "sk_SK",
                        "hu_HU", "lt_LT", "lv_LV", "az_AZ", "tr_TR")
_EU_LOCALES = (("DE", "de_DE"), ("BE", "nl_BE"), ("FR", "fr_FR"), ("IT", "it_IT"), ("ES", "es_ES"),
               ("PT", "pt_PT"), ("GB", "en_GB"))
_NICK = {"Johannes": "Jan", "Cornelis": "Kees", "Petrus": "Piet", "Hendrik": "Henk", "Willem": "Wim",
         "Jacobus": "Jaap", "Gerardus": "Gerrit", "Maria": "Ria", "Johanna": "Jo", "Elisabeth": "Els",
         "Wilhelmina": "Mien", "Theodorus": "Dirk", "Antonius": "Ton", "Franciscus": "Frans",
         "Nicolaas": "Klaas", "Adrianus": "Arie", "Catharina": "Toos", "Margaretha": "Greet"}
_SECTORS = _words(
    "Bouwbedrijf Schoonmaakbedrijf Uitzendbureau Transport Transportbedrijf Horeca Massagesalon Beautysalon "
    "Nagelstudio Vastgoed Logistiek Autobedrijf Autoservice Garage Kapsalon Barbershop Shishalounge Cafetaria "
    "Koeriersdienst Installatiebedrijf Installatietechniek Handelsonderneming Recycling Vleesverwerking "
    "Tuinbouw Champignonkwekerij Belwinkel Snackbar Taxibedrijf Taxi Huisvesting Arbeidsbemiddeling "
    "Sloopbedrijf Bloemenkwekerij Bakkerij Slagerij Wasserette Schildersbedrijf Dakdekkersbedrijf "
    "Loodgietersbedrijf Timmerbedrijf Stukadoorsbedrijf Tegelzetbedrijf Hoveniersbedrijf Grondverzet "
    "Verhuur Autoverhuur Fietsenmaker Rijschool Reisbureau Makelaardij Administratiekantoor Adviesbureau "
    "Accountants Consultancy ICT Webdesign Beveiliging Evenementen Catering Restaurant Eetcafé Café Pizzeria "
    "Grillroom Supermarkt Toko Minimarkt Groenteboer Viswinkel Kledingwinkel Schoenmakerij Juwelier Telecom "
    "Tabakszaak Slijterij Coffeeshop Sportschool Fitness Zonnestudio Tattoo Pedicure Thuiszorg Kinderopvang "
    "Zorgboerderij Opslag Groothandel Textiel Meubelmakerij Glasbedrijf Steigerbouw Isolatie Zonnepanelen "
    "Elektrotechniek Metaalbewerking Lasbedrijf Machineverhuur Containerverhuur Afvalverwerking "
    "Autowasstraat Bandenservice Tankstation Verhuisbedrijf Pakketdienst Hotel Pension Camping "
    "Vakantieparken Loonbedrijf Melkveebedrijf Varkenshouderij Pluimveebedrijf Kwekerij"
)
_FANCY = _words(
    "Zonnebloem Eikenhof Rode Roos Paradise Golden Diamond Star Royal Prime Noorderlicht Horizon Phoenix "
    "Atlas Orion Lotus Venus Oase Amber Saffier Platina Delta Omega Polaris Aurora Titan Vlinder Regenboog "
    "Zwaluw Ooievaar Lindeboom Kastanje Klaproos Tulp Anker Kompas Vuurtoren Molen Kroon Parel Smaragd "
    "Robijn Topaas Kristal Zilver Goud Ster Maan Zon Zeester Dolfijn Adelaar Valk Havik Buizerd Vos Das "
    "Eekhoorn Egel Beer Leeuw Tijger Panter Jaguar Cobra Python Mustang Pegasus Centaur Griffioen Draak "
    "Elite Supreme Premium Express Rapid Quick Smart Green Blue Red Black White Silver Gold Crystal "
    "Sunrise Sunset Skyline Highway Gateway Harbour Haven Bridge Castle Tower Garden Valley River Lake"
)
_BRAND_HEADS = _words(
    "Euro Holland Dutch Neder Noord Zuid Oost West Top Prima Super Mega Multi Inter Trans Pro Eco Bio Flex "
    "Smart Quick Easy Total Uni Omni Max Ultra Nova Neo Alpha Beta Sigma Zeta Vita Terra Aqua Agro Auto "
    "Bouw Clean Tech Data Digi Info Medi Opti Pack Rent Sun Star Sky Blue Green Red Gold Silver Crown "
    "King Royal Prime First Best Fast Safe Solid Strong Tri Duo Mono Poly Cyber Nano Micro Macro Hydro "
    "Electro Logi Metro Urban Rural Polder Delta Dijk Kust Hei Veen Zand Klei Water Wind Vuur Licht"
)
_BRAND_TAILS = _words(
    "trans tech flex care point line logic vast com net ware lux ix ex on us a o tec bouw plan serv "
    "work works star team group staff force move lease rent clean pack store port link way wise mark "
    "med vision sense tronic matic form fix pro max plus land stad huis haven hof dam dijk veen kamp"
)


def _zipf_cum(n: int, offset: float, power: float, knee: int = 0, tail_power: float = 0.0) -> list[float]:
    """Cumulative Zipf-Mandelbrot weights ``(rank + offset) ** -power``; past *knee* the curve
    continues with *tail_power* (real name frequencies fall off faster in the long tail)."""
    out, total = [], 0.0
    at_knee = (knee + offset) ** -power if knee else 0.0
    for rank in range(n):
        if knee and rank >= knee:
            total += at_knee * ((rank + offset) / (knee + offset)) ** -tail_power
        else:
            total += (rank + offset) ** -power
        out.append(total)
    return out


def _faker_names(module: str, attr: str) -> list[str]:
    import importlib

    provider = importlib.import_module(f"faker.providers.person.{module}").Provider
    return [n for n in getattr(provider, attr, ()) if n and "," not in n and len(n) < 25]


class _Pool:
    """Values with Zipf weights over their order (first = most frequent)."""

    def __init__(self, values: Sequence[str], offset: float, power: float, knee: int = 0,
                 tail_power: float = 0.0) -> None:
        self.values = list(values)
        self.cum = _zipf_cum(len(self.values), offset, power, knee, tail_power)

    def draw(self, rng: random.Random) -> str:
        return self.values[bisect.bisect_left(self.cum, rng.random() * self.cum[-1])]


class Pools:
    """Name, street and city pools with Zipf-like frequencies; built once per seed."""

    def __init__(self, seed: int = 7) -> None:
        from faker.providers.address.nl_NL import Provider as AddressProvider

        rng = random.Random(seed)
        self.cities = list(AddressProvider.cities)
        self.short_places = [c for c in self.cities if c.isalpha() and c[0].isupper() and 3 < len(c) <= 9]

        # Dutch surnames: the real top list first, then Faker's, then the composed long tail.
        faker_last = list(dict.fromkeys(_faker_names("nl_NL", "last_names") + _faker_names("nl_BE", "last_names")))
        rng.shuffle(faker_last)
        heads = list(dict.fromkeys(_SURNAME_HEADS + self.short_places))
        tail: list[str] = []
        for head in heads:
            for end in _SURNAME_TAILS:
                base = head + end if not head.endswith(end[0]) else head + end[1:]
                for ending in rng.sample(_SURNAME_ENDINGS, 3):
                    tail.append(base + ending if not base.endswith(ending) else base)
        tail += [root + suffix for root in _PATRONYM_ROOTS for suffix in _PATRONYM_SUFFIXES]
        tail += [f"{rng.choice(_SURNAME_PARTICLES)} {place}" for place in self.short_places]
        tail += [f"{rng.choice(_SURNAME_PARTICLES)} {name}" for name in rng.sample(tail, len(tail) // 4)]
        for name in rng.sample(tail, len(tail) // 4):
            old, new = rng.choice(_SPELLING)
            if old in name:
                tail.append(name.replace(old, new, 1))
        tail = list(dict.fromkeys(tail))
        rng.shuffle(tail)
        self.dutch_surnames = _Pool(list(dict.fromkeys(_TOP_SURNAMES + faker_last + tail)), 4.0, 0.74, 2000, 1.1)

        # Given names: the real top list, then Dutch and Frisian, then other European names.
        dutch_given = list(dict.fromkeys(_faker_names("nl_NL", "first_names_male")
                                         + _faker_names("nl_NL", "first_names_female")
                                         + _FRISIAN_GIVEN + _DOUBLE_GIVEN + _faker_names("nl_BE", "first_names")))
        rng.shuffle(dutch_given)
        other_given = list(dict.fromkeys(
            n for loc in _OTHER_GIVEN_LOCALES for n in _faker_names(loc, "first_names")
            if n.isalpha() and all(ord(ch) < 0x250 for ch in n)))
        rng.shuffle(other_given)
        self.dutch_given = _Pool(list(dict.fromkeys(_TOP_GIVEN + dutch_given + other_given)), 15.0, 0.95, 500, 1.2)

        # Foreign residents.
        self.foreign_given: dict[str, _Pool] = {}
        self.foreign_surnames: dict[str, _Pool] = {}

        def pool(values: list[str], offset: float = 8.0, power: float = 1.0) -> _Pool:
            values = list(dict.fromkeys(values))
            head, rest = values[:20], values[20:]
            rng.shuffle(rest)
            return _Pool(head + rest, offset, power)

        pl_last = _faker_names("pl_PL", "male_last_names") + _faker_names("pl_PL", "unisex_last_names")
        self.foreign_surnames["PL"] = pool(pl_last)
        self.foreign_given["PL"] = pool(_PL_GIVEN_EXTRA + _faker_names("pl_PL", "first_names"))
        self.foreign_surnames["RO"] = pool(_faker_names("ro_RO", "last_names")
                                           + [r + s for r in _RO_ROOTS for s in _RO_SUFFIXES])
        self.foreign_given["RO"] = pool(_faker_names("ro_RO", "first_names"))
        self.foreign_surnames["BG"] = pool(_faker_names("bg_BG", "last_names")
                                           + [r + s for r in _BG_ROOTS for s in _BG_SUFFIXES])
        self.foreign_given["BG"] = pool(_faker_names("bg_BG", "first_names"))
        self.foreign_surnames["UA"] = pool(_faker_names("uk_UA", "last_names")
                                           + [r + s for r in _UA_ROOTS for s in _UA_SUFFIXES])
        self.foreign_given["UA"] = pool(_faker_names("uk_UA", "first_names"))
        self.foreign_surnames["TR"] = pool(_faker_names("tr_TR", "last_names")
                                           + [r + s.capitalize() if len(r) > 3 else r + s
                                              for r in _TR_ROOTS for s in _TR_SUFFIXES])
        self.foreign_given["TR"] = pool(_faker_names("tr_TR", "first_names"))
        ma = [f"{p}{root if p.endswith(' ') or not p else root.lower()}" for root in _MA_ROOTS for p in _MA_PREFIXES]
        self.foreign_surnames["MA"] = pool(ma, offset=15.0)
        self.foreign_given["MA"] = pool(list(_MA_GIVEN), offset=6.0)
        self.eu: dict[str, tuple[_Pool, _Pool]] = {
            code: (pool(_faker_names(loc, "first_names")), pool(_faker_names(loc, "last_names")))
            for code, loc in _EU_LOCALES
        }
        self.streets = sorted({f"{rng.choice(self.dutch_given.values[:400])}{s}"
                               for s in AddressProvider.street_suffixes for _ in range(60)}
                              | {"Kerkstraat", "Dorpsstraat", "Stationsweg", "Molenweg", "Hoofdstraat",
                                 "Schoolstraat"})

    def surname(self, rng: random.Random) -> str:
        return self.dutch_surnames.draw(rng)

    def given_name(self, rng: random.Random) -> str:
        return self.dutch_given.draw(rng)


_LEGAL = [("B.V.", 0.45), ("", 0.2), ("V.O.F.", 0.1), ("Stichting", 0.05), ("Holding B.V.", 0.08),
          ("N.V.", 0.02), ("C.V.", 0.02), ("Eenmanszaak", 0.08)]
_FOREIGN_LEGAL = {"PL": "Sp. z o.o.", "RO": "S.R.L.", "BG": "EOOD", "UA": "TOV", "TR": "Ltd. Şti.",
                  "MA": "SARL", "EU": "GmbH"}
_LEGAL_SPELLED = {"B.V.": ["BV", "B.V", "Besloten Vennootschap", "bv"], "V.O.F.": ["VOF", "vof",
                  "Vennootschap onder firma"], "N.V.": ["NV", "Naamloze Vennootschap"],
                  "Stichting": ["Stg.", "stichting"], "C.V.": ["CV"]}


# ---------------------------------------------------------------------------------------------
# Entities
# ---------------------------------------------------------------------------------------------


@dataclass
class Truth:
    """A generated entity with what the variant generator may need (original spellings)."""

    record: Any
    origin: str = "NL"
    given_alts: dict[str, list[str]] = field(default_factory=dict)
    surname_alts: list[str] = field(default_factory=list)


class Generator:
    """Deterministic fast sampler of register entities and their query variants."""

    def __init__(self, pools: Pools, seed: int) -> None:
        self.p = pools
        self.rng = random.Random(seed)
        self._kvk = 10_000_000 + self.rng.randrange(1_000_000)
        self._bsn = 100_000_000 + self.rng.randrange(1_000_000)

    # -- pieces -------------------------------------------------------------------------------

    def _dob(self) -> dt.date:
        return dt.date(1950, 1, 1) + dt.timedelta(days=self.rng.randrange(365 * 55))

    def address(self) -> Address:
        r = self.rng
        suffix = r.choice(["", "", "", "", "", "", "a", "b", "A", "1", "II", "bis"])
        pc = f"{r.randrange(1000, 10000)}{r.choice(string.ascii_uppercase)}{r.choice(string.ascii_uppercase)}"
        return Address(street=r.choice(self.p.streets), house_number=str(r.randrange(1, 250)),
                       house_number_suffix=suffix, postcode=pc, city=r.choice(self.p.cities))

    def _next_kvk(self) -> str:
        self._kvk += self.rng.randrange(1, 40)
        return str(self._kvk)

    def _next_bsn(self) -> str:
        self._bsn += self.rng.randrange(1, 40)
        return str(self._bsn)

    def _origin(self) -> str:
        x = self.rng.random()
        for country, share in _FOREIGN_SHARE.items():
            if x < share:
                return country
            x -= share
        return "NL"

    def person(self, pid: Any) -> Truth:
        r = self.rng
        p = self.p
        origin = self._origin()
        nationality = origin
        given_alts: dict[str, list[str]] = {}
        surname_alts: list[str] = []
        if origin == "NL":
            n_given = r.choices((1, 2, 3), (0.35, 0.45, 0.2))[0]
            given = list(dict.fromkeys(p.given_name(r) for _ in range(n_given)))
            surname = p.surname(r)
            if r.random() < 0.05:
                surname = f"{surname}-{p.surname(r)}"
        elif origin == "EU":
            nationality = r.choice(list(p.eu))
            given_pool, surname_pool = p.eu[nationality]
            given = list(dict.fromkeys(given_pool.draw(r) for _ in range(r.choices((1, 2), (0.6, 0.4))[0])))
            surname = surname_pool.draw(r)
            given_alts = {g: [anyascii(g)] for g in given if anyascii(g) != g}
            surname_alts = [anyascii(surname)] if anyascii(surname) != surname else []
        else:
            gpool, spool = p.foreign_given[origin], p.foreign_surnames[origin]
            given = list(dict.fromkeys(gpool.draw(r) for _ in range(r.choices((1, 2), (0.7, 0.3))[0])))
            surname = spool.draw(r)
            if origin in ("BG", "UA"):
                def alts(name: str) -> list[str]:
                    forms = [romanise(name, _ROMAN), romanise(name, _ROMAN_EN), anyascii(name)]
                    return list(dict.fromkeys(forms))
                given_alts = {g: alts(g) for g in given}
                surname_alts = alts(surname)
                if r.random() < 0.5:
                    # The register holds an already transliterated form as often as the original.
                    given = [r.choice(given_alts[g]) for g in given]
                    surname, surname_alts = surname_alts[0], [surname, *surname_alts[1:]]
            elif origin == "MA":
                given_alts = {g: list(_MA_GIVEN.get(g, ())) for g in given}
                surname_alts = _ma_spellings(surname, r)
            else:
                given_alts = {g: [anyascii(g)] for g in given if anyascii(g) != g}
                surname_alts = [anyascii(surname)] if anyascii(surname) != surname else []
        prefix, core = "", surname
        parts = surname.split(" ")
        if len(parts) > 1 and parts[0].lower() in nm.PARTICLES and r.random() < 0.5:
            # Half of the sources keep the tussenvoegsel in its own field.
            prefix = " ".join(w for w in parts if w.lower() in nm.PARTICLES or w == "'t")
            core = " ".join(w for w in parts if not (w.lower() in nm.PARTICLES or w == "'t"))
        record = Person(
            id=pid, given_names=" ".join(given), surname_prefix=prefix, surname=core,
            birth_date=self._dob() if r.random() < 0.92 else None,
            nationality=nationality if r.random() < 0.7 else "",
            address=self.address() if r.random() < 0.85 else None,
            identifiers={"bsn": self._next_bsn()} if r.random() < 0.2 else None,
        )
        return Truth(record, origin, given_alts, surname_alts)

    def _owner_surname(self, origin: str) -> str:
        r = self.rng
        if origin == "NL":
            return self.p.surname(r)
        if origin == "EU":
            return self.p.eu[r.choice(list(self.p.eu))][1].draw(r)
        name = self.p.foreign_surnames[origin].draw(r)
        return romanise(name, _ROMAN_EN) if origin in ("BG", "UA") else name

    def organisation(self, oid: Any) -> Truth:
        r = self.rng
        p = self.p
        origin = "NL" if r.random() < 0.88 else r.choice([o for o in _FOREIGN_SHARE if o != "EU"] + ["EU"])
        sn = self._owner_surname(origin)
        sector = r.choice(_SECTORS)
        style = r.random()
        if style < 0.22:
            name = f"{sector} {sn}"
        elif style < 0.30:
            name = f"{sn} {sector}"
        elif style < 0.38:
            name = f"{sn} & {self._owner_surname(origin)}" if r.random() < 0.8 else f"{sn} en Zonen"
        elif style < 0.46:
            name = f"{p.given_name(r)} {sn}" + (f" {sector}" if r.random() < 0.4 else "")
        elif style < 0.64:
            # A brand: two morphemes joined ("Eurotrans", "Kompasbouw", "Hendriksbouw"), often with
            # a trade word or a place.
            x = r.random()
            if x < 0.4:
                head = r.choice(_BRAND_HEADS)
            elif x < 0.6:
                head = r.choice(_FANCY)
            else:
                head = sn.split(" ")[-1]
            name = head + r.choice(_BRAND_TAILS)
            if r.random() < 0.6:
                name += f" {sector}"
            if r.random() < 0.2:
                name += f" {r.choice(p.cities)}"
        elif style < 0.74:
            name = f"{r.choice(_FANCY)} {sector}"
            name += f" {r.choice(p.cities) if r.random() < 0.7 else p.given_name(r)}"
        elif style < 0.82:
            letters = "".join(r.choice(string.ascii_uppercase) for _ in range(r.choice((2, 3, 3, 4))))
            acronym = ".".join(letters) + "." if r.random() < 0.2 else letters
            name = f"{acronym} {sector}"
        elif style < 0.92:
            # Stock word + place: the realistic source of identical names ("Bakkerij Emmen").
            place = r.choice(p.cities[:400]) if r.random() < 0.7 else r.choice(p.cities)
            name = f"{sector} {place}" if r.random() < 0.6 else f"{place} {sector}"
        else:
            name = f"{r.choice(_FANCY)} {r.choice(_FANCY)} {r.choice(p.cities)}"
        legal = _FOREIGN_LEGAL.get(origin, "") if origin != "NL" and r.random() < 0.7 else r.choices(
            [f for f, _w in _LEGAL], [w for _f, w in _LEGAL])[0]
        if legal == "Stichting":
            name, legal = f"Stichting {name}", ""
        elif legal == "Holding B.V.":
            name, legal = f"{name} Holding", "B.V."
        record = Organisation(id=oid, name=f"{name} {legal}".strip() if r.random() < 0.5 else name,
                              legal_form=legal if r.random() < 0.5 else "",
                              kvk_number=self._next_kvk() if r.random() < 0.7 else "",
                              address=self.address() if r.random() < 0.8 else None)
        return Truth(record, origin)
    def address_record(self, aid: Any) -> Truth:
        return Truth(AddressRecord(aid, self.address()))

    def entity(self, eid: Any) -> Truth:
        x = self.rng.random()
        if x < 0.7:
            return self.person(eid)
        if x < 0.9:
            return self.organisation(eid)
        return self.address_record(eid)

    # -- variants -----------------------------------------------------------------------------

    def _typo(self, word: str) -> str:
        r = self.rng
        if len(word) < 4:
            return word
        i = r.randrange(1, len(word) - 1)
        op = r.random()
        if op < 0.3:
            return word[:i] + r.choice("aeioulnrst") + word[i + 1:]
        if op < 0.55:
            return word[:i] + word[i + 1:]
        if op < 0.8:
            return word[:i] + r.choice("aeioulnrst") + word[i:]
        return word[:i - 1] + word[i] + word[i - 1] + word[i + 1:]

    def _address_variant(self, a: Address | None) -> Address | None:
        r = self.rng
        if a is None:
            return self.address() if r.random() < 0.5 else None
        x = r.random()
        if x < 0.2:
            return self.address()  # moved
        if x < 0.3:
            return None
        street = a.street
        if street.endswith("straat") and r.random() < 0.4:
            street = street[:-6] + r.choice(["str.", "str", " straat"])
        number, suffix = a.house_number, a.house_number_suffix
        if suffix and r.random() < 0.6:
            # A digit suffix needs a separator: "72-1", never "721".
            sep = r.choice(["-", " "]) if suffix[0].isdigit() or suffix[0] in "IV" else r.choice(["", "-", " "])
            number, suffix = number + sep + suffix.lower(), ""
        pc = a.postcode
        y = r.random()
        if y < 0.3:
            pc = f"{pc[:4]} {pc[4:]}".lower()
        elif y < 0.4:
            pc = ""
        elif y < 0.45:
            pc = pc[:4] + pc[5] + pc[4]  # swapped letters
        return Address(street=street if r.random() < 0.9 else street.upper(), house_number=number,
                       house_number_suffix=suffix, postcode=pc, city=a.city)

    def person_variant(self, t: Truth) -> Person:
        r = self.rng
        p: Person = t.record
        given = p.given_names.split()
        prefix, surname = p.surname_prefix, p.surname
        ops = r.choices(["none", "typo_sur", "typo_giv", "initials", "first_only", "nickname", "swap",
                         "partner", "translit", "comma", "fullname_in_surname", "drop_prefix",
                         "prefix_case", "spelling"],
                        [8, 10, 8, 12, 10, 5, 4, 5, 8, 5, 4, 4, 4, 3], k=r.choices((1, 2), (0.75, 0.25))[0])
        for op in ops:
            if op == "typo_sur":
                surname = self._typo(surname)
            elif op == "typo_giv" and given:
                given[0] = self._typo(given[0])
            elif op == "initials" and given:
                given = ["".join(f"{g[0]}." for g in given)]
            elif op == "first_only" and len(given) > 1:
                given = given[:1] if r.random() < 0.7 else given[1:2]
            elif op == "nickname" and given and given[0] in _NICK:
                given = [_NICK[given[0]]]
            elif op == "translit":
                given = [r.choice(t.given_alts[g]) if t.given_alts.get(g) else anyascii(g) for g in given]
                surname = r.choice(t.surname_alts) if t.surname_alts else anyascii(surname)
            elif op == "partner" and r.random() < 0.9:
                partner = self.p.surname(r)
                surname = f"{partner}-{surname}" if r.random() < 0.6 else f"{surname}-{partner}"
            elif op == "spelling":
                # Another spelling of the same name (Meijer/Meyer, Janssen/Jansen, Bruijn/Bruin).
                rules = [(a, b) for a, b in _SPELLING if a in surname]
                if rules:
                    a, b = r.choice(rules)
                    surname = surname.replace(a, b, 1)
            elif op == "drop_prefix":
                prefix = ""
            elif op == "prefix_case":
                prefix, surname = "", f"{prefix} {surname}".strip()
                surname = surname[0].upper() + surname[1:]
        full_given = " ".join(given)
        if "swap" in ops:
            full_given, prefix, surname = f"{prefix} {surname}".strip(), "", full_given
        elif "comma" in ops:
            full_given, surname = "", f"{surname}, {full_given} {prefix}".strip()
            prefix = ""
        elif "fullname_in_surname" in ops:
            full_given, surname = "", f"{full_given} {prefix} {surname}".replace("  ", " ").strip()
            prefix = ""
        dob = p.birth_date
        x = r.random()
        if dob is None:
            dob = self._dob() if r.random() < 0.2 else None  # not our problem: unknown to the register
            dob = None if dob is None else dob
        elif x < 0.08:
            dob = None
        elif x < 0.13 and dob.day <= 12:
            dob = dob.replace(month=dob.day, day=dob.month)
        elif x < 0.15:
            dob = str(dob.year)
        return Person(id=None, given_names=full_given, surname_prefix=prefix, surname=surname,
                      birth_date=dob, nationality=p.nationality if r.random() < 0.5 else "",
                      address=self._address_variant(p.address),
                      identifiers=p.identifiers if p.identifiers and r.random() < 0.3 else None)

    def org_variant(self, t: Truth) -> Organisation:
        r = self.rng
        o: Organisation = t.record
        name, legal = o.name, o.legal_form
        for op in r.choices(["none", "legal", "order", "typo", "holding", "en", "case"],
                            [10, 25, 12, 15, 8, 5, 5], k=r.choices((1, 2), (0.7, 0.3))[0]):
            if op == "legal":
                for form, spelled in _LEGAL_SPELLED.items():
                    if form in name or form == legal:
                        name = name.replace(form, "").strip()
                        legal = r.choice(spelled) if r.random() < 0.6 else ""
                        if r.random() < 0.5 and legal:
                            name, legal = f"{name} {legal}", ""
                        break
            elif op == "order":
                words = name.split()
                if len(words) >= 2:
                    name = " ".join([*words[1:], words[0]])
            elif op == "typo":
                words = name.split()
                legal_words = {w for spelled in _LEGAL_SPELLED.values() for f in spelled for w in f.split()}
                legal_words |= {"Eenmanszaak", "Stichting", "Holding", *_LEGAL_SPELLED}
                i = max(range(len(words)), key=lambda k: (words[k] not in legal_words, len(words[k])))
                words[i] = self._typo(words[i])
                name = " ".join(words)
            elif op == "holding":
                name = name.replace(" Holding", "") if "Holding" in name else f"{name} Holding"
            elif op == "en":
                name = name.replace(" & ", " en ")
            elif op == "case":
                name = name.upper()
        return Organisation(id=None, name=name, legal_form=legal,
                            kvk_number=o.kvk_number if o.kvk_number and r.random() < 0.5 else "",
                            address=self._address_variant(o.address))

    def address_variant(self, t: Truth) -> AddressRecord:
        a = t.record.address
        r = self.rng
        v = self._address_variant(a)
        while v is None or v.house_number == "" or (v.postcode == "" and r.random() < 0.5):
            v = self._address_variant(a)
        if v.house_number.split("-")[0].split(" ")[0] != a.house_number.split(" ")[0]:
            v = replace(v, house_number=a.house_number, house_number_suffix=a.house_number_suffix)
        if v.street != a.street and nm.fold(v.street)[:3] != nm.fold(a.street)[:3]:
            v = replace(v, street=a.street, postcode=a.postcode)  # the "moved" case is not a variant
        return AddressRecord(None, v)

    def variant(self, t: Truth) -> Any:
        if isinstance(t.record, Person):
            return self.person_variant(t)
        if isinstance(t.record, Organisation):
            return self.org_variant(t)
        return self.address_variant(t)

    def relative(self, t: Truth) -> Person:
        """A partner, child or sibling of a register person, living at the same address."""
        r = self.rng
        p: Person = t.record
        if r.random() < 0.35:
            partner = self.person(None).record  # own name, same address
            return replace(partner, address=p.address)
        given = self.person(None).record.given_names
        dob = self._dob()
        return Person(id=None, given_names=given, surname_prefix=p.surname_prefix, surname=p.surname,
                      birth_date=dob if r.random() < 0.92 else None, nationality=p.nationality,
                      address=p.address)

    def fresh_query(self, t: Truth) -> Any:
        """An unlisted applicant as it would be typed in: a fresh entity, lightly formatted."""
        rec = t.record
        if isinstance(rec, Person):
            return replace(rec, id=None)
        if isinstance(rec, Organisation):
            return replace(rec, id=None)
        return AddressRecord(None, rec.address)


def make_register(n: int, seed: int = 1, pools: Pools | None = None) -> tuple[list[Truth], Generator]:
    pools = pools or Pools()
    gen = Generator(pools, seed)
    return [gen.entity(i) for i in range(n)], gen


def make_queries(truths: Sequence[Truth], gen: Generator, n_listed: int, n_unlisted: int,
                 seed: int = 99) -> list[tuple[Any, Any]]:
    """Return (query record, true entity id or None) pairs."""
    rng = random.Random(seed)
    out: list[tuple[Any, Any]] = []
    for t in rng.sample(list(truths), min(n_listed, len(truths))):
        out.append((gen.variant(t), t.record.id))
    housed = [t for t in truths if isinstance(t.record, Person) and t.record.address is not None]
    for i in range(n_unlisted):
        fresh = gen.entity(("new", i))
        if isinstance(fresh.record, Person) and housed and rng.random() < 0.1:
            # A relative of a listed person at the same address (partner, child, sibling): the
            # classic straw man, and a different person.
            out.append((gen.relative(rng.choice(housed)), None))
        else:
            out.append((gen.fresh_query(fresh), None))
    rng.shuffle(out)
    return out


# ---------------------------------------------------------------------------------------------
# Quality
# ---------------------------------------------------------------------------------------------


def name_space(truths: Sequence[Truth]) -> dict[str, Any]:
    """How realistic the register's names are: distinct values and exact-name collisions."""
    from collections import Counter

    surnames: Counter[str] = Counter()
    first: Counter[str] = Counter()
    full: Counter[Any] = Counter()
    first_full: Counter[Any] = Counter()
    orgs: Counter[Any] = Counter()
    for t in truths:
        rec = t.record
        if isinstance(rec, Person):
            given, comps = nm.person_name(rec.given_names, rec.surname_prefix, rec.surname)
            surnames["-".join(" ".join((*p, *c)) for p, c in comps)] += 1
            if given:
                first[given[0]] += 1
            full[(given, comps)] += 1
            first_full[(given[:1], comps)] += 1
        elif isinstance(rec, Organisation):
            orgs[tuple(sorted(nm.org_name(rec.name, rec.legal_form)[0]))] += 1
    n_p, n_o = max(1, sum(surnames.values())), max(1, sum(orgs.values()))
    top = surnames.most_common(10)
    return {
        "persons": n_p,
        "distinct surnames": len(surnames),
        "distinct first given names": len(first),
        "top surnames %": ", ".join(f"{k} {v / n_p * 100:.2f}" for k, v in top[:5]),
        "top-10 surnames together %": round(sum(v for _k, v in top) / n_p * 100, 2),
        "top given names %": ", ".join(f"{k} {v / n_p * 100:.2f}" for k, v in first.most_common(5)),
        "persons sharing first given name + surname %": round(
            sum(v for v in first_full.values() if v > 1) / n_p * 100, 2),
        "persons sharing all given names + surname %": round(sum(v for v in full.values() if v > 1) / n_p * 100, 2),
        "organisations": n_o,
        "distinct organisation names": len(orgs),
        "organisations sharing their name %": round(sum(v for v in orgs.values() if v > 1) / n_o * 100, 2),
    }



def _kind(record: Any) -> str:
    return {Person: "person", Organisation: "org", AddressRecord: "address"}[type(record)]


def quality(queries: Sequence[tuple[Any, Any]], results: Sequence[Sequence[Any]]) -> dict[str, float]:
    """Open-set quality: recall of listed entities, alert precision, unlisted alert rate.

    *results* holds, per query, the ids of the alerts (hits at or above the review threshold).
    """
    listed = found = alerts = true_alerts = unlisted = unlisted_alerted = 0
    for (_q, truth), ids in zip(queries, results, strict=True):
        alerts += len(ids)
        if truth is None:
            unlisted += 1
            unlisted_alerted += bool(ids)
        else:
            listed += 1
            found += truth in ids
            true_alerts += truth in ids
    return {
        "recall": found / listed if listed else 1.0,
        "precision": true_alerts / alerts if alerts else 1.0,
        "unlisted_alerted": unlisted_alerted / unlisted if unlisted else 0.0,
        "alerts_per_query": alerts / len(queries) if queries else 0.0,
    }


#: Thresholds at which the operating-point table reports the engine's quality.
CURVE_THRESHOLDS = (0.60, 0.64, 0.66, 0.68, 0.70, 0.72, 0.74, 0.76, 0.80)


def curve(queries: Sequence[tuple[Any, Any]], scored: Sequence[Sequence[tuple[Any, float]]],
          thresholds: Sequence[float] = CURVE_THRESHOLDS) -> list[dict[str, float]]:
    """Quality at each threshold, from one run at the lowest: the trade-off between recall and
    unlisted alerts that choosing the review threshold makes.

    *scored* holds, per query, (entity id, score) of every hit at or above the lowest threshold.
    """
    rows = []
    for threshold in thresholds:
        ids = [[entity_id for entity_id, score in hits if score >= threshold] for hits in scored]
        rows.append({"threshold": threshold, **quality(queries, ids)})
    return rows


def engine_quality(n_register: int = 2000, n_queries: int = 400, seed: int = 3) -> dict[str, float]:
    """Build a small register and measure the engine's quality on it (used by the smoke test)."""
    truths, gen = make_register(n_register, seed)
    matcher = Matcher(t.record for t in truths)
    queries = make_queries(truths, gen, n_queries, n_queries, seed + 1)
    results = [[h.entity_id for h in matcher.match(q)] for q, _t in queries]
    return quality(queries, results)


# ---------------------------------------------------------------------------------------------
# Naive baseline: a full scan over normalised names
# ---------------------------------------------------------------------------------------------

#: The baseline's cutoff (rapidfuzz scores 0-100), as in the style guide's example.
BASELINE_CUTOFF = 85


def baseline_text(record: Any) -> str:
    """The whole name (or address) folded, legal forms dropped, words sorted once."""
    if isinstance(record, Person):
        given, comps = nm.person_name(record.given_names, record.surname_prefix, record.surname)
        words = [*given, *(w for p, c in comps for w in (*p, *c))]
    elif isinstance(record, Organisation):
        words = list(nm.org_name(record.name, record.legal_form)[0])
    else:
        a = nm.address(record.address)
        words = [a[0], a[1] + a[2], *a[3].split()]
    return " ".join(sorted(w for w in words if w))


class Baseline:
    """``rapidfuzz.process.cdist`` over all register names with ``ratio`` on sorted tokens."""

    def __init__(self, records: Sequence[Any]) -> None:
        self.ids = [r.id for r in records]
        self.choices = [baseline_text(r) for r in records]

    def match_many(self, queries: Sequence[Any], limit: int = 10) -> list[list[Any]]:
        import numpy as np
        from rapidfuzz import fuzz, process

        out: list[list[Any]] = []
        for start in range(0, len(queries), 64):
            texts = [baseline_text(q) for q in queries[start:start + 64]]
            matrix = process.cdist(texts, self.choices, scorer=fuzz.ratio, dtype=np.uint8, workers=-1,
                                   score_cutoff=BASELINE_CUTOFF)
            for row in matrix:
                hits = np.flatnonzero(row)
                if len(hits) > limit:
                    hits = hits[np.argsort(-row[hits], kind="stable")[:limit]]
                out.append([self.ids[i] for i in hits])
        return out


# ---------------------------------------------------------------------------------------------
# Measurement
# ---------------------------------------------------------------------------------------------


def _rss_mb() -> float:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_s() -> float:
    """CPU seconds of this process and its finished children (forked workers, rapidfuzz threads)."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(p * len(values)))] if values else 0.0


def run_size(n: int, n_queries: int, pools: Pools, baseline_single: int,
             seed: int | None = None) -> list[dict[str, Any]]:
    t0 = time.perf_counter()
    seed = n if seed is None else seed
    truths, gen = make_register(n, seed=seed, pools=pools)
    records = [t.record for t in truths]
    queries = make_queries(truths, gen, n_queries, n_queries, seed=seed + 1)
    gen_s = time.perf_counter() - t0
    del truths
    gc.collect()

    rows: list[dict[str, Any]] = []
    # Engine.
    rss0 = _rss_mb()
    t0, c0 = time.perf_counter(), _cpu_s()
    matcher = Matcher(records)
    build_s, build_cpu = time.perf_counter() - t0, _cpu_s() - c0
    gc.collect()
    mem = _rss_mb() - rss0
    # As a long-lived app worker should after building: move the index out of the collector's
    # reach, or a full collection over a million records stalls a query for 100+ ms.
    gc.freeze()
    lat, cpu = [], []
    for q, _truth in queries:
        t1, c1 = time.perf_counter(), time.process_time()
        matcher.match(q)
        lat.append((time.perf_counter() - t1) * 1000)
        cpu.append((time.process_time() - c1) * 1000)
    t0 = time.perf_counter()
    results = matcher.match_many([q for q, _t in queries])
    batch_s = time.perf_counter() - t0
    qual = quality(queries, [[h.entity_id for h in hits] for hits in results])
    low = matcher.match_many([q for q, _t in queries], threshold=min(CURVE_THRESHOLDS))
    points = curve(queries, [[(h.entity_id, h.score) for h in hits] for hits in low])
    rows.append({"size": n, "method": "engine", "build_s": build_s, "build_cpu": build_cpu, "mem_mb": mem,
                 "p50": _pct(lat, 0.5), "p95": _pct(lat, 0.95), "cpu_p95": _pct(cpu, 0.95),
                 "qps": len(queries) / batch_s,
                 "gen_s": gen_s, "curve": points, **qual})
    by_kind: dict[str, list[int]] = {}
    for i, (q, _t) in enumerate(queries):
        by_kind.setdefault(_kind(q), []).append(i)
    for kind, idx in sorted(by_kind.items()):
        sub = quality([queries[i] for i in idx], [[h.entity_id for h in results[i]] for i in idx])
        rows.append({"size": n, "method": f"engine: {kind} queries", **sub})
    del matcher, results
    gc.unfreeze()
    gc.collect()

    # Baseline.
    rss0 = _rss_mb()
    t0 = time.perf_counter()
    base = Baseline(records)
    build_b = time.perf_counter() - t0
    mem_b = _rss_mb() - rss0
    lat_b, cpu_b = [], []
    for q, _truth in queries[:baseline_single]:
        t1, c1 = time.perf_counter(), _cpu_s()
        base.match_many([q])
        lat_b.append((time.perf_counter() - t1) * 1000)
        cpu_b.append((_cpu_s() - c1) * 1000)
    t0 = time.perf_counter()
    res_b = base.match_many([q for q, _t in queries])
    batch_b = time.perf_counter() - t0
    rows.append({"size": n, "method": f"naive cdist ratio ≥{BASELINE_CUTOFF}", "build_s": build_b,
                 "mem_mb": mem_b, "p50": _pct(lat_b, 0.5), "p95": _pct(lat_b, 0.95), "cpu_p95": _pct(cpu_b, 0.95),
                 "qps": len(queries) / batch_b, **quality(queries, res_b)})
    rows[0]["speedup"] = rows[-1]["p50"] / rows[0]["p50"] if rows[0]["p50"] else 0.0
    return rows


def _fmt(row: dict[str, Any], key: str, spec: str) -> str:
    return format(row[key], spec) if key in row else ""


def print_table(rows: list[dict[str, Any]], n_queries: int) -> None:
    print(f"\nQueries per size: {n_queries} listed variants + {n_queries} unlisted applicants; "
          f"review threshold {REVIEW_THRESHOLD}; {os.cpu_count()} cores; Python {sys.version.split()[0]}\n")
    print("| size | method | build s | build CPU s | mem MB | p50 ms | p95 ms | p95 CPU ms | speed-up p50 "
          "| batch q/s | recall | precision | unlisted alerted | alerts/query |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['size']:,} | {r['method']} | {_fmt(r, 'build_s', '.1f')} | {_fmt(r, 'build_cpu', '.1f')} "
              f"| {_fmt(r, 'mem_mb', '.0f')} | {_fmt(r, 'p50', '.2f')} | {_fmt(r, 'p95', '.2f')} "
              f"| {_fmt(r, 'cpu_p95', '.2f')} | {_fmt(r, 'speedup', '.0f')} "
              f"| {_fmt(r, 'qps', ',.0f')} | {r['recall']:.4f} | {r['precision']:.4f} "
              f"| {r['unlisted_alerted']:.4f} | {r['alerts_per_query']:.3f} |")


def print_curve(rows: list[dict[str, Any]]) -> None:
    engine_rows = [r for r in rows if "curve" in r]
    if not engine_rows:
        return
    print("\nOperating points: the engine's quality if the review threshold were elsewhere "
          f"(recall / precision / unlisted alerted; the engine uses {REVIEW_THRESHOLD})\n")
    print("| threshold | " + " | ".join(f"{r['size']:,}" for r in engine_rows) + " |")
    print("|---:|" + "---|" * len(engine_rows))
    for i, threshold in enumerate(CURVE_THRESHOLDS):
        cells = []
        for r in engine_rows:
            point = r["curve"][i]
            cells.append(f"{point['recall']:.3f} / {point['precision']:.3f} / "
                         f"{point['unlisted_alerted'] * 100:.1f} %")
        mark = " (used)" if abs(threshold - REVIEW_THRESHOLD) < 1e-9 else ""
        print(f"| {threshold:.2f}{mark} | " + " | ".join(cells) + " |")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--queries", type=int, default=1000, help="listed and unlisted queries each")
    parser.add_argument("--baseline-single", type=int, default=100,
                        help="single queries timed for the (slow) baseline")
    parser.add_argument("--quick", action="store_true", help="10k register, 300 queries each (CI)")
    parser.add_argument("--seed", type=int, default=None,
                        help="draw register and queries with this seed (default: the size), to see how much the "
                             "quality figures move between draws")
    parser.add_argument("--realism", action="store_true",
                        help="print how realistic the generated registers' names are (distinct names, namesakes), then stop")
    args = parser.parse_args(argv)
    sizes = [10_000] if args.quick else [int(s) for s in args.sizes.split(",") if s.strip()]
    n_queries = 300 if args.quick else args.queries
    pools = Pools()
    if args.realism:
        for n in sizes:
            truths, _gen = make_register(n, seed=n, pools=pools)
            print(f"\n{n:,} entries")
            for key, value in name_space(truths).items():
                print(f"  {key}: {value:,}" if isinstance(value, int) else f"  {key}: {value}")
        return 0
    rows: list[dict[str, Any]] = []
    for n in sizes:
        t0 = time.perf_counter()
        rows += run_size(n, n_queries, pools, args.baseline_single, args.seed)
        print(f"size {n:,} done in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    print_table(rows, n_queries)
    print_curve(rows)
    print("\nmem MB is the RSS growth while building. Latency is one `match` call (wall clock; 'p95 CPU' is "
          "the CPU time of the call, which does not count waiting for a core on a shared machine; for the "
          "baseline it includes all its threads); q/s is `match_many` over all queries. Build CPU includes "
          "forked workers. Precision counts every alert of every query; 'unlisted alerted' is the share "
          "of applicants not in the register with at least one alert.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
