"""Structure signals that other systems' minutes need, each on a small invented document of its shape: an agenda
written as one Word table, 'Ad pkt.' headings, the access stated after a title, a text export's page counters,
one-line items of an association, a body named only by its meeting, and a wrapped list of members."""

from __future__ import annotations

from pathlib import Path

from index.parsing import parse_file
from tests.support.layouts import build_docx

LONG = "Bestyrelsen drøftede sagen grundigt og gennemgik de tal, som lederen havde sendt ud før mødet."


def _docx(tmp_path: Path, source: str) -> Path:
    text = tmp_path / "referat.docx.txt"
    text.write_text(source, encoding="utf-8")
    return build_docx(text, tmp_path / "referat.docx")


def test_an_agenda_table_in_word_gives_one_item_per_row(tmp_path: Path):
    meeting = parse_file(_docx(tmp_path, "\n".join([
        "Referat af forældrebestyrelsesmøde",
        "Dato: 3. marts 2025",
        "| Punkt | Emne | Referat |",
        f"| 1 | Godkendelse af dagsorden | Godkendt. {LONG} |",
        f"| 2 | Legepladsen | Der er købt en ny gynge til 12.000 kr. {LONG} |",
        f"| 3 | Eventuelt | Intet. {LONG} |",
    ])))
    assert [(i.number, i.title) for i in meeting.items] == [
        ("1", "Godkendelse af dagsorden"), ("2", "Legepladsen"), ("3", "Eventuelt")]
    assert "12.000 kr." in meeting.item("2").text
    assert meeting.body == "Forældrebestyrelsen"


def test_a_numbered_attachment_table_is_not_an_agenda(tmp_path: Path):
    meeting = parse_file(_docx(tmp_path, "\n".join([
        "# 1. Lokalplan for Engen",
        f"Sagsfremstilling: {LONG}",
        "# 2. Eventuelt",
        "Intet.",
        "## Bilag",
        "| 1. | Åben | Kort.pdf |",
        "| 2. | Åben | Høringssvar.pdf |",
        "| 3. | Åben | Notat.pdf |",
    ])))
    assert [i.number for i in meeting.items] == ["1", "2"]


def test_ad_pkt_headings_and_access_after_the_title(tmp_path: Path):
    path = tmp_path / "bestyrelse.txt"
    path.write_text("\n".join([
        "Referat af bestyrelsesmøde",
        "",
        "Ad pkt. 1 Godkendelse af dagsorden (Åben)",
        "Dagsordenen blev godkendt.",
        "",
        "Ad pkt. 2 Takster for 2026 (Åben)",
        "Bestyrelsen godkendte en takst på 42,50 kr. pr. m³.",
        "",
        "Ad pkt. 3 Salg af grund (Lukket)",
        "Ad pkt. 4 Fortroligt",
        "Ad pkt. 5 Eventuelt",
        "Intet.",
    ]), encoding="utf-8")
    meeting = parse_file(path)
    assert [(i.number, i.title, i.access) for i in meeting.items] == [
        ("1", "Godkendelse af dagsorden", "åben"), ("2", "Takster for 2026", "åben"),
        ("3", "Salg af grund", "lukket"), ("4", "Fortroligt", "lukket"), ("5", "Eventuelt", "åben")]


def test_page_counters_of_a_text_export_give_pages_and_drop_the_running_header(tmp_path: Path):
    page = ["Vejby Kommune", "Byrådet 24-06-2025", ""]
    lines = ["Vejby Kommune", "Byrådet 24-06-2025", "Referat", ""]
    for number in range(1, 4):
        lines += [f"{number}. Anlægsbevilling til skole nummer {number}", f"{LONG} Beløbet er {number} mio. kr.",
                  "Beslutning:", "Godkendt.", "", f"Side {number} af 3", ""]
        if number < 3:
            lines += page
    path = tmp_path / "byraad.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    meeting = parse_file(path)
    assert [i.pages[0] for i in meeting.items] == [1, 2, 3]
    assert all("24-06-2025" not in i.text for i in meeting.items)


def test_one_line_items_of_an_association_are_items_not_an_agenda_list(tmp_path: Path):
    path = tmp_path / "generalforsamling.txt"
    path.write_text("\n".join([
        "Referat af ordinær generalforsamling",
        "Dagsorden:",
        "1. Valg af dirigent", "2. Beretning", "3. Valg af revisor", "4. Eventuelt", "",
        "Ad 1. Valg af dirigent", "Hans Berg blev valgt.", "",
        "Ad 2. Beretning", "Formanden aflagde beretningen, som blev godkendt.", "",
        "Ad 3. Valg af revisor", "Revisionsfirmaet Kvist blev genvalgt.", "",
        "Ad 4. Eventuelt", "Der blev spurgt til vandtrykket.",
    ]), encoding="utf-8")
    meeting = parse_file(path)
    assert [i.number for i in meeting.items] == ["1", "2", "3", "4"]
    assert "Kvist" in meeting.item("3").text


def test_a_wrapped_member_list_keeps_whole_names(tmp_path: Path):
    path = tmp_path / "kb.txt"
    path.write_text("\n".join([
        "Kommunalbestyrelsen", "Referat", "",
        "Medlemmer: Lone Brixen (A), Jesper Aalund (A), Tina Mørkholt (A), Kasper Refsgaard (A), Hanne",
        "Vilstrup (A), Bo Thygesen (A), Malene Stavnsbo (F), Ida Rosenkvist (Ø), Henrik Schou Nørlev",
        "(V), Birgit Ravnkilde (V). Mette Kornum (C) havde meldt afbud.", "",
        "1. Godkendelse af dagsorden", "Godkendt.", "",
        "2. Eventuelt", "Intet.",
    ]), encoding="utf-8")
    meeting = parse_file(path)
    present = [p.name for p in meeting.participants if p.role == "deltager"]
    assert "Hanne Vilstrup" in present and "Henrik Schou Nørlev" in present
    assert [p.name for p in meeting.participants if p.role == "afbud"] == ["Mette Kornum"]
