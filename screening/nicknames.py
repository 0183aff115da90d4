"""Given names and the short or familiar forms people go by.

A counterparty file says "Bill", the list says "William"; a Russian name has its
diminutive ("Sasha" for "Aleksandr"). Each group is one name; its forms are
letters apart, so no spelling rule links them. Written for entitywatch from
common usage in English, Russian and Ukrainian, Spanish, Italian, German,
French, Arabic and Persian naming; lower-case ASCII as the tokenizer writes
them. Transliteration variants of the full name ("Aleksandr", "Alexander") are
left to the typo look-up; one spelling each is enough here.
"""

from __future__ import annotations

_GROUPS = """
alexander aleksandr alexandr alex sasha sascha sandro sandy shura
alexandra aleksandra sasha sandra
andrew andrei andrey andy drew
anthony antony tony
benjamin ben benny binyamin
charles charlie chuck
christopher chris kit
daniel dan danny
david dave davy
dmitry dmitri dima mitya
edward ed eddie ted ned
elizabeth elisabeth liz lisa beth betty eliza
ekaterina yekaterina katya katia katerina kate catherine katherine kathy
evgeny yevgeny evgeni zhenya eugene gene
francis frank frankie
francisco paco pancho
frederick fred freddie fritz
gregory greg grigory grisha
henry harry hank
ivan vanya
james jim jimmy jamie
john jack johnny
jose pepe
joseph joe joey
konstantin kostya
leonid lyonya
lawrence larry
margaret maggie peggy meg
maria masha mary
michael mike mikhail misha mick
mohammed mohammad muhammad mohamed hamoudi
nicholas nick nikolai nikolay kolya
patrick pat paddy
peter pete pyotr petya
richard rick dick richie
robert bob bobby rob robbie bert
sergei sergey serge seryozha
stephen steven steve
theodore ted teddy theo fyodor fedya
thomas tom tommy
timothy tim
vladimir volodya vova
william bill billy will willy liam
yuri yury yura
"""

# One name in the forms of other languages ("Juan", "Jean" and "Ivan" for "John"): a
# counterparty file may hold the form of the country it trades with.
_ACROSS_LANGUAGES = """
john juan jean johann johannes giovanni joao jan hans sean ivan
peter pedro pierre pietro piotr petr pyotr
paul pablo paolo pavel pawel
michael miguel michel michele mikhail michal
joseph jose giuseppe josef yosef yusuf
george jorge georg giorgio georgy
jacob jakob yakov yaakov yaqub jacques giacomo
stephen stefan esteban etienne stepan
nicholas nicolas nikolai nikola niccolo
andrew andres andre andrea andrei andrzej
alexander alejandro alessandro aleksandr iskandar
william guillermo guillaume wilhelm guglielmo
henry enrique henri heinrich enrico
charles carlos carl karl carlo
francis francisco francois franz francesco
anthony antonio antoine anton
mary maria marie mariya maryam miriam
catherine ekaterina caterina katharina
elizabeth isabel elisabeth elisabetta yelizaveta
abraham ibrahim avraham
moses musa moshe
solomon suleiman sulayman shlomo
david dawood daud dawud
"""


def _groups() -> dict[str, frozenset[str]]:
    found: dict[str, set[str]] = {}
    for line in (_GROUPS + _ACROSS_LANGUAGES).split("\n"):
        names = frozenset(line.split())
        for name in names:
            # A form in two groups ("ted", "sasha") stands for either name.
            found.setdefault(name, set()).update(names)
    return {name: frozenset(group) for name, group in found.items()}


NICKNAMES: dict[str, frozenset[str]] = _groups()


def same_given_name(first: str, second: str) -> bool:
    """Whether `first` and `second` are forms of one given name ("bill", "william";
    "ivan", "john")."""
    return second in NICKNAMES.get(first, ())
