"""Code pages x languages: every text decodes to its own characters, mojibake is flagged."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from foialog.extract.document import extract_document
from foialog.extract.readers.delimited import read_delimited
from foialog.extract.sources import Source
from foialog.extract.text.encoding import MOJIBAKE_NOTE, decode_file, detect_encoding, implausible

# Agency lists as exports write them: a header, names with the letters of each language.
TEXTS = {
    "de": "Behörde;Suchanfragen;Datum\nKantonspolizei Zürich;120;02.01.2021\n"
    "Landeskriminalamt Baden-Württemberg;45;03.01.2021\nPolizeipräsidium Düsseldorf;7;04.01.2021\n"
    "Bundespolizei Großbeeren;3;05.01.2021\n",
    "fr": "Organisme;Recherches\nGendarmerie nationale française;120\nPréfecture de police;45\n"
    "Direction générale de la sécurité intérieure;7\nSûreté du Québec;3\n",
    "es": "Organismo,Búsquedas\nPolicía Nacional,120\nDirección General de la Guardia Civil,45\n"
    "Ertzaintza (País Vasco),7\nPolicía Foral de Navarra,3\n",
    "pt": "Órgão;Pesquisas\nPolícia Judiciária;120\nPolícia de Segurança Pública;45\n"
    "Guarda Nacional Republicana;7\nSecretaria de Segurança Pública de São Paulo;3\n",
    "it": "Ente;Ricerche\nPolizia di Stato;120\nArma dei Carabinieri;45\nGuardia di Finanza;7\n"
    "Polizia municipale di Forlì;3\nQuestura di Città di Castello;2\n",
    "pl": "Instytucja;Wyszukiwania\nKomenda Główna Policji;120\nStraż Graniczna;45\n"
    "Agencja Bezpieczeństwa Wewnętrznego;7\n",
    "ru": "Агентство,Поиски\nПолиция Москвы,120\nФСБ России,45\nМВД по Республике Татарстан,7\n",
    "ja": "機関,検索数\n警視庁,120\n大阪府警察,45\n神奈川県警察本部,33\n北海道警察札幌方面,7\n",
    "zh": "机构,搜索次数\n公安部,120\n北京市公安局,45\n上海市公安局,33\n广东省公安厅,7\n",
    "zh-tw": "機構,搜尋次數\n內政部警政署,120\n臺北市政府警察局,45\n法務部調查局,7\n",
    "ko": "기관,검색\n경찰청,120\n서울지방경찰청,45\n부산지방경찰청,33\n국가정보원,7\n",
}
WESTERN = ("de", "fr", "es", "pt", "it")
UNICODE = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le")
CASES = [
    *((lang, enc) for lang in TEXTS for enc in UNICODE),
    *((lang, enc) for lang in WESTERN for enc in ("cp1252", "latin-1", "cp850", "mac_roman")),
    ("pl", "cp1250"),
    ("ru", "cp1251"),
    ("ru", "koi8_r"),
    ("ja", "shift_jis"),
    ("ja", "euc_jp"),
    ("zh", "gb18030"),
    ("zh", "gb2312"),
    ("zh-tw", "big5"),
    ("ko", "euc_kr"),
]


@pytest.mark.parametrize(("lang", "encoding"), CASES)
def test_every_code_page_gives_the_original_characters(lang: str, encoding: str) -> None:
    text = TEXTS[lang]
    data = text.encode(encoding)
    decoded = decode_file(data, f"{lang}.csv")
    assert decoded.text.lstrip("\ufeff") == text, (encoding, decoded.encoding)
    assert decoded.suspect == 0
    assert decoded.note == ""


@pytest.mark.parametrize("lang", WESTERN)
def test_cp1252_first_when_its_reading_is_word_like(lang: str) -> None:
    data = TEXTS[lang].encode("cp1252")
    assert detect_encoding(data) == "cp1252"


def test_shift_jis_is_never_read_as_cp1252() -> None:
    data = "警視庁,120\n".encode("shift_jis")
    assert data.decode("cp1252") == "ŒxŽ‹’¡,120\n"  # what a cp1252 reading would give
    assert decode_file(data, "a.csv").text == "警視庁,120\n"


@pytest.mark.parametrize(
    ("text", "suspect"),
    [
        ("Kantonspolizei Zürich, Policía Nacional, Straße, groß, Fuß", 0),
        ("Kantonspolizei Z³rich", 1),
        ("PolicĒa Nacional", 1),
        ("Direcci¾n General", 1),
        ("Guardia Civil est\u00df", 1),  # "está" read as cp850
        ("ZŸrich", 1),  # "Zürich" from mac-roman read as cp1252
        ("Ïîëèöèÿ Ìîñêâû", 13),  # Russian in cp1251 read as cp1252
        ("警視庁は2023年にFBI長官と会談した。", 0),
        ("don’t, l’agence, Jan–Jun, col·legi, 5 m², € 100, 3 °C", 0),
        ("Zrich\x81", 1),
    ],
)
def test_implausible_counts_characters_no_word_holds(text: str, suspect: int) -> None:
    assert implausible(text) == suspect


def test_utf8_mojibake_is_decoded_but_noted(tmp_path: Path) -> None:
    # UTF-8 that was read as cp1252 once and saved again as UTF-8: valid bytes, broken names.
    broken = TEXTS["es"].encode("utf-8").decode("cp1252").encode("utf-8")
    decoded = decode_file(broken, "es.csv")
    assert decoded.encoding == "utf-8"
    assert decoded.note.startswith(MOJIBAKE_NOTE)
    path = tmp_path / "twice.csv"
    path.write_bytes(broken)
    assert read_delimited(path).notes[0].startswith(MOJIBAKE_NOTE)


def test_stray_bom_and_nul_rules() -> None:
    assert detect_encoding(codecs.BOM_UTF32_LE + "a,b\n".encode("utf-32-le")) == "utf-32"
    assert detect_encoding(bytes(range(256)) * 8) is None


def test_text_file_with_mojibake_is_partial_with_a_note(tmp_path: Path) -> None:
    story = (
        "Policía Nacional ran more than 320 searches in February 2024, officials in Zürich said.\n"
    )
    path = tmp_path / "story.txt"
    path.write_bytes(story.encode("utf-8").decode("cp1252").encode("utf-8"))
    result = extract_document(Source(path=path, name=path.name))
    assert result.status == "partial"
    assert any(n.startswith(MOJIBAKE_NOTE) for n in result.notes)
    clean = tmp_path / "clean.txt"
    clean.write_bytes(story.encode("cp1252"))
    assert extract_document(Source(path=clean, name=clean.name)).status == "ok"


@pytest.mark.parametrize("encoding", ["mac_roman", "cp850"])
def test_a_lone_accented_month_name_picks_its_code_page(encoding: str) -> None:
    """One byte in a title read as a letter by both pages: the reading naming a month wins."""
    text = "Nutzungsbericht, März 2017\n1;5.603;Hammond Police Department\n2;7.098;Indiana SP\n"
    assert decode_file(text.encode(encoding), "export.csv").text == text


@pytest.mark.parametrize("encoding", ["cp850", "cp1252", "mac_roman"])
def test_a_no_break_thousands_space_is_read_as_a_space(encoding: str) -> None:
    """A number's NBSP is a letter or accent in other pages ("1ÿ504"): those readings lose."""
    text = "Ente;Numero di ricerche\nPolizia di Stato;1\u00a0504\nGuardia di Finanza;2\u00a0018\n"
    assert decode_file(text.encode(encoding), "export.csv").text == text


@pytest.mark.parametrize("encoding", ["mac_roman", "cp1252"])
def test_a_currency_sign_glued_to_amounts_picks_its_code_page(encoding: str) -> None:
    """The euro sign is 0xDB in mac-roman: 'Û10' (cp1252) and '█10' (cp850) readings lose."""
    text = (
        '"Agency"|"Amount"|"Searches"\n"Mesa PD"|"€4,975.00"|"47"\n"Phoenix PD"|"€3,587.50"|"13"\n'
    )
    assert decode_file(text.encode(encoding), "export.csv").text == text


def test_cjk_date_units_between_digits_are_real() -> None:
    assert implausible("2020年1月15日 警視庁 120") == 0
    assert implausible("1ÿ504 Û10,725.00 █10") == 3


def test_western_letters_win_a_tie_between_latin_readings() -> None:
    """mac-roman's 'Búsquedas' and 'N.º' over cp1250's 'Bśsquedas' and cp1252's 'N.¼'."""
    text = 'Licencias;Cliente;Búsquedas;"N.º\nde cliente"\n35;Cook County Sheriff;80;C-57814\n'
    assert decode_file(text.encode("mac_roman"), "export.csv").text == text
