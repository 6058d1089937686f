"""What kind of question is asked, and which of its words carry the topic."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from index.dates import MONTHS
from index.lexical import stems

ATTENDANCE = re.compile(
    r"\b(afbud|fraværende|fravær|deltog|deltagere|deltager|til stede|tilstede|suppleant|mødt|fremmødt|"
    r"kl-udvalgsmedlem|deltagerliste|repræsenterede)\w*", re.I)
# "hvem var ikke med", "var der nogen med fra Læsø"; "hvorfor var hun ikke med" asks for a reason instead
WAS_THERE = re.compile(r"\b(?:ikke\s+med|var\s+(?:der\s+)?(?:nogen\s+)?med)\b(?!\s+(?:i|til|på)\s+at\b)", re.I)
DECISION = re.compile(
    r"\b(besluttede|beslutning\w*|besluttet|godkend\w*|vedtag\w*|vedtog|tiltrådt\w*|tiltrådte|"
    r"til efterretning|konklusion|udfald\w*|udpeget|udpegede|udpeges|valgt|valgte|bevilget|bevilgede|"
    # a committee recommends to the council: what it recommended is its decision
    r"anbefalede|anbefalet|indstillede|"
    # "hvad endte egenbetalingen på": where the item ended is its decision
    r"endte|endelige?)\b"
    # "hvad gør seniorrådet ved at bussen ikke kører": what the body does about it
    r"|\bhvad\s+(?:gør|gjorde)\s+\w+\s+ved\b", re.I)
AMOUNT = re.compile(r"\b(hvor meget|hvor mange|beløb\w*|koster|kostede|koste|pris\w*|antal\w*|stiger|falder|"
                    r"hvor stor)\b", re.I)
# "hvad får koret i honorar", "hvad bliver tilskuddet": a sum of money asked for by its name
MONEY_ASKED = re.compile(
    r"^\s*hvad\s+(?:får|fik|er|var|bliver|blev|udgør|udgjorde|betaler|betalte)\b.*\b(?:honorar|tilskud|gebyr|"
    r"kontingent|husleje|løn|depositum|takst|udgift|omkostning|overskud|underskud|bevilling|rådighedsbeløb)", re.I)
WHEN = re.compile(r"\b(hvornår|hvilken dato|hvilke datoer|dato(en)?|tidspunkt)\b", re.I)
CASE = re.compile(r"\b(sags?nu?m+e?r\w*|sagsnr\w*|sag nr|journalnummer\w*|journalnr\w*|j\.\s?nr|dokumentnr\w*|"
                  r"dok\.\s?nr)(?!\w)", re.I)
WHO = re.compile(r"^\s*(hvem|hvilke personer|hvilken person)\b|\bhvad\s+(?:hedder|hed)\b|\bnavnet\s+på\b", re.I)
WHERE = re.compile(r"^\s*hvor\s+(ligger|er|holdes|afholdes|findes)\b", re.I)
LIST = re.compile(r"^\s*(hvilke|hvad var de|hvad er de|nævn)\b", re.I)
VOTE = re.compile(r"\b(stemte|stemt|stemme\w*|afstemning\w*|stemmeafgivning)\b", re.I)
STANCE = re.compile(r"\b(holdning\w*|mente|mener|syntes|synes|indstillet til|stillede sig|reaktion\w*|syn på)\b"
                    # "hvordan har ældrerådet det med …", "hvordan ser rådet på …"
                    r"|\bhvordan\s+(?:har|havde)\b.*\bdet\s+med\b|\bhvordan\s+(?:ser|så)\b.*\bpå\b", re.I)
# "Hvad handler punkt 2.1 om?", "hvad gik sagen om kunstgræsbanen ud på?"
ABOUT = re.compile(r"\bhvad\s+(?:handler|handlede|går|gik|drejer|drejede)\b.*\b(?:om|ud på)\s*\??\s*$"
                   # "hvad var emnet for pkt 2.5", "hvad er punkt 4"
                   r"|\bhvad\s+(?:var|er)\s+(?:emnet\s+(?:for|på|under)|(?:pkt|punkt)\.?\s*\d)"
                   # "hvad snakkede de om under evt", "hvad blev drøftet under punkt 3"
                   r"|\bhvad\s+(?:snakkede|talte|drøftede|diskuterede)\s+\w+\s+om\s+under\b"
                   r"|\bhvad\s+blev\s+(?:drøftet|diskuteret|sagt)\s+under\b", re.I)
# a yes/no question opens with its verb; these ask what was decided ("gik udvalget med til …?"), while "kom der
# nogen bemærkninger" asks whether something happened
YES_NO = re.compile(r"^\s*(blev|er|var|har|havde|skal|skulle|vil|ville|kan|kunne|må|bør|gik|godkendte|vedtog|"
                    r"besluttede|bevilgede|valgte|accepterede|tiltrådte|sagde|anbefalede)\b", re.I)
# any verb can open a yes/no question ("Fortsætter frokostordningen?", "Lukker børnehuset?"): a present or past
# form first, then its subject (a pronoun, a name or a definite noun)
VERB_FIRST = re.compile(r"^\s*[a-zæøåA-ZÆØÅ][a-zæøå]{2,}(?:er|ede|te)\s+(?:der|de|den|det|man|vi|han|hun|nogen|alle|"
                        r"[A-ZÆØÅ][\wæøå-]*|[a-zæøå-]+(?:en|et|ne))\b")
REFERS_BACK = re.compile(
    r"\b(det|den|dette|denne|de|dem|deres|punktet|sagen|emnet|samme|her|der|beslutningen|"
    r"hvad med|og hvad)\b", re.I)

# Words that frame a question rather than name its topic; their absence from the minutes says nothing.
FRAMING = set(stems(
    "hvad hvem hvornår hvor hvordan hvorfor hvilke hvilken hvilket mange meget besluttede beslutning besluttet "
    "blev bliver godkendt godkendte godkendelse punkt punktet punkter møde mødet møderne referat "
    "referatet referaterne dagsorden kkr udvalget byrådet udvalg nævnt nævnes står skrevet handler handlede om "
    "drøftet drøftede drøftelse mente mener sagde siger fortalt omfatter omfattede indeholder indeholdt "
    "ske skete sket gøre gjorde sige fik får give gav hedder hed ny nye nyt stiger steg stige falder faldt "
    "sagsnummer sagsnummeret sagsnr hvornår afholdes afholdt holdes næste forrige sidste første tal antal "
    "beløb koster pris ligger findes stor store størst større lille små mindre mindst høj høje højere lav lave "
    "lavere lang lange længe kort korte hurtig hurtigt samlet samlede hele helt præcis præcist egentlig egentligt "
    "konkret konkrete vigtig vigtigste vigtigt muligt mulige kunne forventes forventet gældende aktuel aktuelle "
    "holdning holdningen mente mener syntes synes penge folk vi os år stemte stemt stemme stemmerne afstemning "
    "afstemningen stemmetal stemmetallet stemmetallene stemmefordeling stemmefordelingen "
    "senest gang gange gik går gå nogen noget nogle "
    # abbreviations that frame ("iflg. tidsplanen", "jf. bilag", "vedr. …")
    "iflg ifølge jf jvf vedr vedrørende mht pga "
    # "hvornår er det meningen at …", "det allerførste punkt"
    "meningen allerførst allerførste "
    # prepositions that only relate the topic words ("køre uden udledning", "mellem regionen og kommunerne")
    "uden ved mellem omkring blandt gennem igennem inden "
    # a case's course: "da sagen var færdigbehandlet" dates the answer, it is no topic
    "færdigbehandlet færdigbehandlede afgjort afsluttet "
    "dato datoen datoer tidspunkt tidspunktet"
))
# a date written with digits ("18/8-2022", "14.3.2023") names a meeting, not a topic
NUMERIC_DATE = re.compile(r"^\d{1,2}[/.]\d{1,2}(?:[-/.]\d{2,4})?$")
# ... and so does one written with its month ("20. marts 2023", "28 marts 2022", "12 aug 2024", "i juni 2025"):
# its month and year are no topic the evidence must repeat
_MONTH = "|".join([*MONTHS, *{m[:3] for m in MONTHS}])
DATE_PHRASE = re.compile(
    rf"\b(?:\d{{1,2}}\.?\s*(?:{_MONTH})\b\.?(?:\s+\d{{4}})?|(?:{_MONTH})\b\.?\s+\d{{4}})(?!\w)", re.I)


MODALS = frozenset("skal skulle vil ville kan kunne må måtte bør burde".split())
AUXILIARIES = frozenset("har havde er var blev bliver blevet været".split())
WH_WORDS = frozenset("hvad hvem hvor hvornår hvorfor hvordan hvilke hvilken hvilket hvorledes hvorvidt".split())
# a word after one of these is a noun phrase's ("til et nyt gyngestativ"), not a verb
NOUN_MARKERS = frozenset(
    "en et den det de denne dette disse min mit mine din dit sin sit sine vores jeres deres hans hendes dens dets "
    "til på om for i af med ved fra hos under over efter mod mellem alle hver hvert nogle flere samme ny nyt nye "
    "anden andet andre".split())
# ... and after these the clause is over, or the verb's particle follows ("rykket frem", "sat op")
CLAUSE_END = NOUN_MARKERS | frozenset(
    "og eller iflg ifølge jf nu igen endnu så da når hvis uden frem op ud ind ned tilbage væk igennem sammen".split())
# "hvor mange", "hvor længe": after these "hvor" asks a measure, and a noun or adverb follows, not the verb
MEASURES = frozenset("mange meget stor stort store længe lang langt tit ofte højt høj gammel gamle".split())


LIGHT_VERBS = frozenset("have få give se tage gøre holde sætte lave bruge købe bygge søge".split())
PRONOUNS = frozenset("jeg du han hun vi i de den det der man".split())
COUNTED = frozenset("mange meget hvilke hvilken hvilket".split())


def finite_after_wh_phrase(words: list[str], i: int, after_adjective: bool) -> bool:
    """The present-tense verb after a longer question phrase, before its subject: "hvor stort et overskud
    regner afdelingen med" (the word after "hvor mange"/"hvilke" is the counted noun, never the verb)."""
    word, previous = words[i], words[i - 1]
    if i < 2 or words[0] not in WH_WORDS or not word.endswith("er") or after_adjective:
        return False
    if previous in NOUN_MARKERS | COUNTED | WH_WORDS or i + 1 == len(words):
        return False
    following = words[i + 1]
    return following in PRONOUNS or following.endswith(("en", "et", "ne"))


def first_verb_after(words: list[str]) -> bool:
    """Danish puts the finite verb second: right after "hvad", "hvem", "hvornår", "hvorfor", "hvordan", and
    after "hvor" unless a measure follows ("hvor mange"); after "hvilke"/"hvilken" a noun comes first."""
    if words[0] in ("hvad", "hvem", "hvornår", "hvorfor", "hvordan", "hvorledes"):
        return words[1] not in NOUN_MARKERS
    return words[0] == "hvor" and words[1] not in MEASURES | NOUN_MARKERS


# the answer's checks ask a question's verbs, kind and topic many times over: each is read once
@lru_cache(maxsize=1024)
def verb_terms(question: str) -> frozenset[str]:
    """Stems of the question's verbs, told by Danish word order alone: after "at" ("at reklamere"), first in a
    yes/no question ("virker bookingsystemet …"), right after the question word ("hvem tager …"), the infinitive
    or passive that closes a modal clause ("hvor skal temamødet foregå", "skal godkendes"), a participle after an
    auxiliary ("har rådet sagt", "end ventet"). How a question is worded says nothing about whether the minutes
    hold its subject: a verb the minutes never use is a paraphrase, a noun they never use is a missing subject."""
    words = re.findall(r"[\wæøå-]+", question.lower())
    verbs: set[str] = set()
    modal = auxiliary = False
    for i, word in enumerate(words):
        previous = words[i - 1] if i else ""
        # the verb closes its clause: the question ends, or a preposition, article or conjunction follows
        closes = i + 1 == len(words) or words[i + 1] in CLAUSE_END
        infinitive = word.endswith(("e", "å", "es"))
        # "den gamle skole": an article and an adjective before it make the word a noun
        after_adjective = i >= 2 and words[i - 2] in NOUN_MARKERS and previous.endswith("e")
        # "ville have hunde med": the word after a light verb is its object
        after_adjective = after_adjective or previous in LIGHT_VERBS
        clues = (
            previous == "at" and infinitive,  # "at reklamere"
            i == 0 and word not in WH_WORDS,  # "virker bookingsystemet …"
            i == 1 and first_verb_after(words),  # "hvem tager …", "hvad foreslår …", "hvor ligger …"
            finite_after_wh_phrase(words, i, after_adjective) and not verbs,  # "hvor stort et overskud regner …"
            # "hvor skal temamødet foregå", "… skal godkendes i SSU"
            modal and infinitive and closes and previous not in NOUN_MARKERS | WH_WORDS and not after_adjective,
            # "har rådet sagt om", "end ventet"
            (auxiliary or previous == "end") and word.endswith("t") and closes
            and previous not in NOUN_MARKERS | AUXILIARIES and not after_adjective,
        )
        if any(clues):
            verbs.add(word)
        modal = modal or word in MODALS
        auxiliary = auxiliary or word in AUXILIARIES
    return frozenset(term for word in verbs for term in stems(word))


@dataclass(frozen=True)
class QuestionKind:
    attendance: bool
    decision: bool
    amount: bool
    when: bool
    case: bool
    who: bool
    where: bool
    yes_no: bool
    listing: bool = False
    vote: bool = False
    stance: bool = False
    about: bool = False

    @property
    def name(self) -> str:
        for field in ("attendance", "case", "decision", "amount", "when", "who", "where"):
            if getattr(self, field):
                return field
        return "general"


@lru_cache(maxsize=1024)
def classify(question: str) -> QuestionKind:
    return QuestionKind(
        # "hvorfor deltog X ikke i behandlingen?" asks for a reason, not who attended
        attendance=((bool(ATTENDANCE.search(question)) and not re.search(r"\bdeltagelse i\b", question, re.I))
                    or bool(WAS_THERE.search(question))) and not re.match(r"\s*(?:og\s+)?hvorfor\b", question, re.I),
        decision=bool(DECISION.search(question)) or bool(YES_NO.match(question) or VERB_FIRST.match(question)),
        amount=bool(AMOUNT.search(question) or MONEY_ASKED.search(question)),
        when=bool(WHEN.search(question)),
        case=bool(CASE.search(question)),
        who=bool(WHO.search(question)),
        where=bool(WHERE.search(question)),
        yes_no=bool(YES_NO.match(question) or VERB_FIRST.match(question)),
        listing=bool(LIST.match(question)),
        vote=bool(VOTE.search(question)),
        stance=bool(STANCE.search(question)),
        about=bool(ABOUT.search(question)),
    )


INTERROGATIVES = set(stems("hvad hvem hvornår hvor hvordan hvorfor hvilke hvilken hvilket"))
# adverbs that say how the question is put, not what it is about: "så det ikke sker igen" must not pick every
# sentence with "så" and "igen" in it
ADVERBS = set(stems("så igen nu lige kun stadig allerede endnu egentlig vel mon nok også"))
# "hvilken dato", "hvilket tidspunkt" ask "hvornår": a sentence that mentions a date by that word does not answer
ASKED_TIME = set(stems("dato datoen datoer tidspunkt tidspunktet"))


def scoring_terms(question: str) -> list[str]:
    """Stemmed words that may pick a sentence: everything but the question words themselves."""
    seen: list[str] = []
    for term in stems(question):
        if term not in INTERROGATIVES and term not in ADVERBS and term not in ASKED_TIME and term not in seen:
            seen.append(term)
    return seen


def topic_terms(question: str) -> list[str]:
    """Stemmed words of the question that name its topic."""
    return list(_topic_terms(question))


@lru_cache(maxsize=1024)
def _topic_terms(question: str) -> tuple[str, ...]:
    seen: list[str] = []
    for term in stems(DATE_PHRASE.sub(" ", question)):
        if term not in FRAMING and len(term) >= 3 and term not in seen and not NUMERIC_DATE.match(term):
            seen.append(term)
    return tuple(seen)


# Danish parties by name and by the letter minutes print after a member ("Mikkel Aagaard (C)")
PARTY_LETTERS = {
    "socialdemokrat": "A", "radikal": "B", "konservativ": "C", "nyeborgerlig": "D", "sf": "F",
    "socialistisk": "F", "liberal": "I", "moderat": "M", "dansk folkepart": "O", "danskefolkepart": "O",
    "venstr": "V", "enhedslist": "Ø", "alternativ": "Å", "danmarksdemokrat": "Æ",
}


def party_letters(question: str) -> dict[str, str]:
    """Stemmed party words of the question and their letters: 'de konservatives' → {'konservativ': 'C'}."""
    found: dict[str, str] = {}
    for term in stems(question):
        for name, letter in PARTY_LETTERS.items():
            if " " not in name and term.startswith(name) and len(term) - len(name) <= 3:
                found[term] = letter
    return found


# "hvor mange af krisecenterets pladser": the counted thing comes after the owner it belongs to
FOCUS = re.compile(r"\b(?:hvilke|hvilken|hvilket|hvor mange|hvor meget|hvor store?)\s+(?:af\s+\w+\s+)?(.+)", re.I)


def focus_term(question: str) -> str | None:
    """The thing asked about: 'sager' in 'Hvor mange sager …', 'temaer' in 'Hvilke temaer …'."""
    match = FOCUS.search(question)
    if not match:
        return None
    for term in stems(match.group(1)):
        if term not in FRAMING and len(term) >= 3:
            return term
    return None


# a meeting other than the one the minutes record: the next or first one, or one named by its date or month
OTHER_MEETING = re.compile(r"\b(næste|kommende|første)\s+(?:\w+\s+)?(?:møde\w*|gang|generalforsamling\w*)\b", re.I)
NAMED_MEETING = re.compile(
    rf"\bpå\s+mødet\s+(?:den\s+(\d{{1,2}})\.\s*({'|'.join(MONTHS)})|i\s+({'|'.join(MONTHS)}))\b", re.I)


def other_meeting(question: str) -> str | None:
    """The qualifier of a meeting the question places outside the minutes at hand ('næste', 'første')."""
    match = OTHER_MEETING.search(question)
    return match.group(1).lower() if match else None


# "junimødet", "på marts-mødet": a meeting named by its month alone
MONTH_MEETING = re.compile(rf"\b({'|'.join(MONTHS)})-?møde(?:t|rne)?\b", re.I)


def named_meeting(question: str) -> tuple[int | None, int] | None:
    """(day, month) of 'på mødet den 8. april' / (None, month) of 'på mødet i juni'; not 'referatet fra mødet
    den 10. februar', which this meeting may well have approved."""
    match = NAMED_MEETING.search(question)
    if not match:
        month = MONTH_MEETING.search(question)
        return (None, MONTHS[month.group(1).lower()]) if month else None
    if match.group(2):
        return int(match.group(1)), MONTHS[match.group(2).lower()]
    return None, MONTHS[match.group(3).lower()]
