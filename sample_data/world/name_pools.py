"""Name pools of the world: given names, family names and company words, Indonesian and
English/European, varied as real account-holder names are.

A shop of 1,500 clients rarely has two with the same full name, and a stranger paying rarely
bears a client's full name: so the pools are large (a few hundred given names per language
and gender, family names of many origins, a second given name on about half the people,
companies with a brand word) and skewed only a little (a few very common given names). The
deliberate traps (two clients with the same name, a relative paying with the client's family
name, firms with generic names only) are made on purpose, not left to chance.
"""

from __future__ import annotations

import random

_ID_MEN = """Adi Agus Ahmad Aldi Alif Andi Arief Arif Bagus Bambang Bayu Bima Budi Cahya
Candra Dani Dedi Dedy Dimas Dodi Dwi Eka Eko Fadli Fajar Farhan Fauzi Fikri Galih Gilang Hadi
Hendra Heru Ilham Indra Irfan Iwan Jaka Joko Kadek Ketut Kurnia Lukman Made Nyoman Oki Pandu
Putu Rahmat Reza Rizal Rizky Rudi Sandi Slamet Surya Taufik Teguh Tri Umar Wahyu Wawan Wayan
Yoga Yudi Yusuf Zaki Aditya Ardi Aryo Bintang Damar Danang Darma Fadhil Febri Gema Hafiz Hilman
Ilyas Imam Kemal Mahesa Naufal Oka Panji Pramudya Rafi Rendra Restu Satria Tegar Tirta Yogi
Sugiyanto Suharyanto Haryanto Haryono Purwanto Suryadi Mulyadi Mulyono Supriyadi Supriyanto
Darmawan Darmadi Suwarno Kartono Priyanto Priyono Sumarno Triyono Yulianto Hendrawan Sutrisno
Sulistyo Widodo Wahyudi Sudarmaji Sudarsono Sukirman Suparno Sutarno Tukiman Paiman Ngadiman
Rusdiyanto Kusnadi Sriyono Suyanto Budiono Handoko Harjono Jumadi Kasmin Marsudi Nuryanto
Sarjono Sugeng Sukardi Sunarto Supardi Susilo Sutomo Tugiyo Wagiman Warsito""".split()
_ID_WOMEN = """Anggi Anisa Ayu Citra Desi Dewi Dian Dina Elis Endah Erna Evi Fitri Gita Hana Ika
Indah Intan Irma Kartika Lia Lina Maya Mega Melati Mira Nadia Nanda Nia Novi Nur Nurul Putri
Ratna Ria Rina Rini Sari Sekar Septi Siti Sri Tika Utami Vina Wulan Yanti Yuli Zulfa Agustina
Ananda Anjani Asih Astuti Elok Jihan Laras Nabila Niken Ratih Safira Salma Sinta Vivi Wening
Zahra Setyowati Purwati Suryani Mulyani Suwarni Kartini Sumarni Yuliani Sulistyowati
Widyastuti Rahayu Wahyuni Suparmi Sutarmi Tuminah Ngatini Rusmini Kusmiati Endang Suyatmi
Budiarti Hartini Hastuti Indarti Jumiati Lasmini Marsini Nuraini Ponirah Rukmini Sarinah
Sumiati Sunarti Surati Tarmini Waginah Wartini Yatmi Aminah Fatimah Khadijah Aisyah
Maryam Rohmah""".split()
_ID_FAMILY = """Santoso Wijaya Halim Pratama Kusuma Nugroho Hidayat Saputra Siregar Gunawan
Setiawan Purnomo Hakim Susanto Wibowo Nasution Simanjuntak Harahap Lubis Sitompul Panjaitan
Hutapea Sinaga Pardede Tambunan Situmorang Manurung Sembiring Ginting Tarigan Tanoto Salim
Hartono Sutanto Tanjaya Gozali Wirawan Permana Ramadhan Firmansyah Kurniawan Hermawan
Prasetyo Prabowo Utomo Rahman Syahputra Maulana Nugraha Putra Lestari Handayani
Anggraini Wulandari Puspita Safitri Marpaung Napitupulu Damanik Sihombing Pohan Daulay
Tanjung Effendi Sudirman Hasibuan Munthe Sirait Aritonang Pasaribu Silalahi Manalu Simatupang
Siagian Lumbantobing Hutagalung Pangaribuan Wiranata Adiwijaya Kartawijaya Suwandi Kosasih
Tjahjadi Wongso Lukito Sasmita Suganda Sumantri Suryana Hidayatullah Iskandar Zulkarnain
Fauzan Rachman Siswanto Mahendra Ardiansyah Kartasasmita Wiradinata Sukmana Gumilar Rukmana
Sopandi Suparman Rohman Kamil Baswedan Assegaf Alatas Basalamah Latuconsina Pattimura
Tuhumury Sahetapy Manuhutu Rumbiak Kambu Wenda Mandagi Pangemanan Lontoh Sumampouw Lasut
Rondonuwu Tumbelaka Pelealu Karundeng Dewanata Mahardika Wicaksono Kuncoro Nurhadi
Cahyono Setyawan Wardhana Atmaja Pamungkas Baskoro Ismail Hamid Rasyid Syamsudin Anwar
Burhan Hutabarat Nainggolan Samosir Purba Saragih Tampubolon Sianturi Batubara Matondang
Rangkuti Ritonga Hasugian Pakpahan Sibarani Limbong Gultom Sagala Simbolon Butarbutar
Hendrawan Tanudjaja Halim Wijayakusuma Gondokusumo Sastrowardoyo Notonegoro Mangunkusumo
Soedarsono Hadiwijaya Tirtosudiro Djojohadikusumo Surbakti Bangun Perangin Karokaro Sitepu
Barus Keliat Depari Meliala Pelawi Sinulingga Sebayang Pinem Brahmana Manik Tamba Rumapea
Sitorus Hutajulu Lumbanraja Siahaan Sihite Sinurat Tobing""".split()
_EN_MEN = """John Michael David James Robert Marco Jonas Thomas Peter Daniel Matthew Andrew
Christopher Joseph Benjamin Samuel Nathan Patrick Kevin Brian Gregory Steven Jason Eric Adam
Timothy Stephen Jeffrey Ryan Jacob Tyler Ethan Lucas Henry Felix Lukas Maximilian Tobias
Florian Sebastian Niklas Matthias Stefan Pierre Antoine Julien Mathieu Luca Matteo Alessandro
Pablo Javier Diego Pieter Joost Lars Mikkel Tomas Jakub Marek Piotr Krzysztof Andrei Dmitri
Wei Hiroshi Arjun Omar Kofi Liam Declan Rhys Callum Finn George Edward Charles William Richard
Oliver Harry Jack Noah Leon Paul Simon Martin Frank Hans Klaus Jurgen Wolfgang Henrik Erik
Olaf Sven Anton Emil Bruno Victor Hugo Louis Remy Bastien Giorgio Paolo Stefano Carlos Miguel
Rafael Sergio Mateus Joao Ivan Pavel Ondrej Viktor""".split()
_EN_WOMEN = """Emily Sarah Laura Anna Linda Lena Alice Julia Claire Sophie Olivia Hannah Grace
Chloe Isabel Natalie Rachel Megan Rebecca Victoria Amelia Charlotte Madeline Abigail Heather
Vanessa Caroline Allison Melissa Kimberly Danielle Brooke Paige Audrey Greta Johanna Frieda
Katharina Annika Miriam Svenja Carla Ines Camille Manon Elodie Margaux Giulia Chiara Francesca
Lucia Carmen Elena Sanne Femke Ingrid Astrid Petra Zuzana Alena Agnieszka Magdalena Ioana
Oksana Mei Yuki Priya Leila Amara Rosa Aoife Siobhan Carys Isla Maeve Emma Mia Lea Clara
Marie Sofia Helena Eva Nora Ida Elise Louise Amelie Juliette Pauline Martina Valentina
Beatriz Marta Ana Irina Katarina Lucie Tereza Hanna Freya Elin Kirsten Helga Ursula Sabine
Monika Brigitte""".split()
_EN_FAMILY = """Smith Carter Moreau Fischer Weber Rossi Zhang Klein Garcia Miller Brown Dubois
Novak Jensen Schmidt Bauer Johnson Williams Jones Davis Wilson Anderson Taylor Thomas Moore
Martin Jackson Thompson White Harris Clark Lewis Robinson Walker Young Allen King Wright Scott
Hill Green Adams Baker Nelson Mitchell Campbell Roberts Turner Phillips Parker Evans Edwards
Collins Stewart Morris Murphy Cook Rogers Morgan Cooper Peterson Reed Bailey Bell Kelly Howard
Ward Cox Richardson Wood Watson Brooks Bennett Gray Hughes Price Sanders Myers Long Foster
Powell Jenkins Perry Russell Sullivan Fisher Henderson Coleman Simmons Patterson Jordan
Reynolds Hamilton Graham Wallace Gibson Ellis Hayes Marshall Owens Harrison Kennedy Wells
Mueller Schneider Schulz Becker Hoffmann Koch Richter Wolf Schroeder Neumann Schwarz Zimmermann
Braun Krueger Hofmann Hartmann Lange Werner Krause Lehmann Koehler Maier Huber Kaiser Fuchs
Peters Lang Scholz Moeller Weiss Jung Hahn Vogel Keller Roth Frank Berger Lefebvre Girard
Bonnet Lambert Fontaine Rousseau Vincent Chevalier Faure Mercier Blanc Guerin Boyer Garnier
Bianchi Romano Colombo Ricci Marino Greco Bruno Gallo Conti Esposito Fernandez Lopez Martinez
Sanchez Romero Navarro Torres Ruiz Jimenez Alvarez Janssen DeVries Bakker Visser Smit Meijer
Mulder Bos Vos Hendriks Nielsen Hansen Pedersen Andersen Larsen Lindqvist Eriksson Johansson
Svoboda Dvorak Cerny Prochazka Kowalski Nowak Wisniewski Wojcik Kaminski Lewandowski Popescu
Ionescu Petrov Ivanov Kovacs Horvath Nagy Tanaka Suzuki Nakamura Patel Sharma Gupta Singh Khan
Chen Wang Liu Nguyen Tran Kim Park Lee Okafor Mensah Byrne Doyle Gallagher Kavanagh Lynch
Quinn""".split()
# English and German family names as they are made: a stem and an ending (Ashford, Rosenthal)
_EN_MADE = ((("Ash", "Black", "Brook", "Fair", "Hart", "Hay", "Kings", "Lock", "North", "Stan",
              "Thorn", "Wood", "West", "Whit", "Brad", "Crans"),
             ("ford", "ley", "ton", "wood", "field", "well", "more", "worth", "by")),
            (("Berg", "Eichen", "Falken", "Gold", "Linden", "Rosen", "Stein", "Wald", "Hoch",
              "Kirch", "Sommer", "Winter", "Brunn", "Hage"),
             ("mann", "berger", "hofer", "bach", "thal", "er", "feld", "meier")))

# Javanese names as they are made: a stem and an ending (Suharno, Sukarti, Warsini)
_JV_STEMS = ("Suhar", "Sukar", "Sumar", "Supar", "Sutar", "Surat", "Sujat", "Sukir", "Sunar",
             "Suwar", "Harj", "Purw", "Mard", "Ward", "Kasm", "Tugir", "Wagir", "Sarj", "Jumar",
             "Kart", "Part", "Samp", "Trisn", "Widy", "Hart", "Muly", "Setiy", "Pray", "Sant",
             "Darm", "Slam", "Hand", "Sugit", "Wij", "Ngad", "Pon", "Tark", "Rusm", "Kasr",
             "Sarw")
_JV_ENDS = (("ono", "anto", "adi", "iman", "o", "ijo"), ("ini", "ati", "iyah", "ani", "inah",
                                                           "ingsih"))
# many Indonesians bear Arabic or Western given names (Muhammad, Kevin, Jessica)
_ID_MORE = ("""Muhammad Abdul Abdullah Ali Hasan Husein Ibrahim Hamzah Faisal Rahman Rasyid Said
Salman Sholeh Syarif Zainal Zulkifli Kevin Michael Stefanus Yohanes Antonius Fransiskus
Hendrik Robert Ricky Jefri Vincent Albert Edwin Felix Rony Steven Wilson Calvin Hans Daniel
Samuel Yosua""".split(), """Aminah Fatimah Khadijah Aisyah Maryam Rohmah Nurhayati Zubaidah
Halimah Jamilah Latifah Munawaroh Salamah Sholihah Ummi Jessica Stefanie Maria Theresia
Yohana Agnes Cecilia Veronika Natalia Angelina Cindy Feby Grace Jennifer Melinda Monica
Sherly Vania Yessica Clara Debora Elisabet Lidia Priskila Rebeka""".split())
ID_GIVEN = tuple(tuple(dict.fromkeys(names + more + [s + e for s in _JV_STEMS for e in ends]))
                 for names, more, ends in zip((_ID_MEN, _ID_WOMEN), _ID_MORE, _JV_ENDS,
                                              strict=True))  # (men, women)
ID_FAMILY = tuple(dict.fromkeys(_ID_FAMILY))
EN_GIVEN = (tuple(dict.fromkeys(_EN_MEN)), tuple(dict.fromkeys(_EN_WOMEN)))
EN_FAMILY = tuple(dict.fromkeys(_EN_FAMILY + [s + e for stems, ends in _EN_MADE
                                              for s in stems for e in ends]))
ID_COMMON = (("Budi", "Agus", "Eko", "Wahyu"), ("Siti", "Nur", "Sri", "Dewi"))
EN_COMMON = (("John", "Michael", "David", "James"), ("Sarah", "Anna", "Laura", "Emily"))
COMMON_SHARE = 0.12  # people whose (first) given name is one of the very common ones
TWO_GIVEN = {"IDR": 0.5, "USD": 0.35, "EUR": 0.35}  # people with a second given name

# company names: generic words everyone uses, and a brand word (often made up) most firms add
ID_WORDS = """Digital Nusantara Maju Jaya Sinar Abadi Karya Media Solusi Teknologi Sentosa
Mandiri Berkah Cipta Data Makmur Sejahtera Utama Prima Mitra Global Kreasi Inti Daya Sarana
Informatika Sistem Niaga Boga Kopi Cahaya Bintang Langit Bumi Sukses Persada Perkasa
Gemilang Lestari Indah Raya Timur Barat Selatan Kencana Mulia Multi Dinamika Integrasi""".split()
EN_WORDS = """Pixel Harbor Summit Bright North Apps Studio Labs Cloud Works Web Atlas Cedar Orbit
Trattoria Design Digital Media Systems Solutions Creative Partners Group Ventures Tech Data
Networks Consulting Analytics Interactive Logic Software Marketing Commerce Bakery Coffee
Dental Legal Travel Fitness Garden Print Photo Events""".split()
BRAND_PARTS = (("Ar", "Ki", "Ze", "No", "Lu", "Ta", "Vi", "Ra", "Se", "Mo", "Be", "Da", "Fi",
                "Ga", "Ha", "In", "Ju", "Ka", "Me", "Ny", "Or", "Pa", "Qu", "Sa", "Tri", "Ul",
                "Va", "Wi", "Xe", "Yo"),
               ("ru", "na", "va", "li", "ta", "me", "ko", "ra", "si", "lo", "de", "ni", "ga",
                "mi", "to", "vo", "ka", "ze", "bu", "ne"),
               ("ka", "ra", "nix", "tra", "lia", "sa", "via", "tek", "ya", "ma", "lo", "do",
                "ris", "gen", "na", "ton", "vio", "za", "ta", "ly"))
BRANDED = 0.8  # share of company names with a brand word


def given(rng: random.Random, currency: str) -> str:
    """The given name(s) of one person: one, or two of the same gender, now and then one of
    the very common ones first."""
    women = int(rng.random() < 0.5)
    common, pool = (ID_COMMON, ID_GIVEN) if currency == "IDR" else (EN_COMMON, EN_GIVEN)
    first = rng.choice(common[women] if rng.random() < COMMON_SHARE else pool[women])
    if rng.random() < TWO_GIVEN[currency]:
        second = rng.choice(pool[women])
        return first if second == first else f"{first} {second}"
    return first


def family(rng: random.Random, currency: str) -> str:
    """A family name (for many Indonesians, in life, a second given name)."""
    if currency == "IDR" and rng.random() < 0.3:
        return rng.choice(ID_GIVEN[int(rng.random() < 0.5)])
    return rng.choice(ID_FAMILY if currency == "IDR" else EN_FAMILY)


def brand(rng: random.Random) -> str:
    """A made-up company word: ``Arunaka``, ``Zelivia``..."""
    parts = [rng.choice(BRAND_PARTS[0]), rng.choice(BRAND_PARTS[1])]
    if rng.random() < 0.6:
        parts.append(rng.choice(BRAND_PARTS[2]))
    return "".join(parts)


def firm_words(rng: random.Random, currency: str) -> list[str]:
    """The words of a company name: a brand word and one or two generic words, or (one firm
    in five, ``CV Maju Jaya``) generic words only."""
    words = ID_WORDS if currency == "IDR" else EN_WORDS
    if rng.random() < BRANDED:
        return [brand(rng), *rng.sample(words, 2 if rng.random() < 0.6 else 1)]
    return rng.sample(words, 3 if rng.random() < 0.5 else 2)
