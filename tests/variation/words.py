"""Vocabularies the variation generator draws from: agency names, header wordings, month names.

Written from how agencies and vendors export their data (FOIA logs, vendor customer lists,
transparency reports), in seven languages; nothing here is taken from foialog's reader.
"""

from __future__ import annotations

from dataclasses import dataclass

LANGUAGES = ("en", "fr", "de", "es", "nl", "it", "pt")


@dataclass(frozen=True)
class Agency:
    """An agency as a document would print it, with where it is."""

    name: str
    country: str
    region: str = ""


def _us(names: str, region: str) -> list[Agency]:
    return [Agency(n.strip(), "US", region) for n in names.split("|") if n.strip()]


#: US agencies across states: police, sheriffs, state police, federal, universities, names
#: with apostrophes, periods, hyphens, ampersands and "X, City of" inversions.
US_AGENCIES: tuple[Agency, ...] = tuple(
    _us(
        "Austin Police Department|Travis County Sheriff's Office|Texas Department of Public Safety",
        "US-TX",
    )
    + _us("Harris County Constable Precinct 4|El Paso Police Department|Pasadena, City of", "US-TX")
    + _us("Los Angeles County Sheriff's Department|San Diego Police Department", "US-CA")
    + _us(
        "California Highway Patrol|Irvine Police Dept.|University of California Police, Davis",
        "US-CA",
    )
    + _us(
        "Miami-Dade Police Department|Okaloosa County Sheriff's Office"
        "|Florida Dept. of Law Enforcement",
        "US-FL",
    )
    + _us("St. Louis County Police Department|Kansas City, Missouri Police Department", "US-MO")
    + _us(
        "New York City Police Department|Suffolk County Police Dept|NYS Division of State Police",
        "US-NY",
    )
    + _us("Cook County Sheriff|Chicago Police Department|Illinois State Police", "US-IL")
    + _us("Maricopa County Attorney's Office|Phoenix Police Department|Mesa PD", "US-AZ")
    + _us(
        "Fulton County Schools Police|Atlanta Police Department|Georgia Bureau of Investigation",
        "US-GA",
    )
    + _us("King County Sheriff's Office|Seattle Police Department|Washington State Patrol", "US-WA")
    + _us("Denver Police Department|Colorado Bureau of Investigation|Aurora Police Dept.", "US-CO")
    + _us("Lake County Sheriff's Office|Hammond Police Department|Indiana State Police", "US-IN")
    + _us("Anchorage Police Department|Alaska State Troopers", "US-AK")
    + _us(
        "Baton Rouge Police Department|Louisiana State Police|Jefferson Parish Sheriff's Office",
        "US-LA",
    )
    + _us("Eugene Police Department|Oregon State Police|Lane County Sheriff's Office", "US-OR")
    + _us("Bucks County District Attorney's Office|Pennsylvania State Police", "US-PA")
    + _us("Gwinnett County Police Department|Buena Park Police Department", "US-GA")
    + [
        Agency("U.S. Customs and Border Protection", "US"),
        Agency("Federal Bureau of Investigation", "US"),
        Agency("Drug Enforcement Administration", "US"),
        Agency("U.S. Immigration & Customs Enforcement", "US"),
        Agency("Bureau of Alcohol, Tobacco, Firearms and Explosives", "US"),
        Agency("U.S. Marshals Service", "US"),
    ]
)

#: Agencies of other countries, in their own languages; accents and letters that not every
#: code page holds (ü é ñ ã ç ø ł ó ź).
WORLD_AGENCIES: tuple[Agency, ...] = (
    Agency("Kantonspolizei Zürich", "CH", "CH-ZH"),
    Agency("Police cantonale de Genève", "CH", "CH-GE"),
    Agency("Gendarmerie nationale", "FR"),
    Agency("Préfecture de police de Paris", "FR", "FR-75"),
    Agency("Police nationale – Direction de Lyon", "FR"),
    Agency("Bundeskriminalamt", "DE"),
    Agency("Landeskriminalamt Baden-Württemberg", "DE", "DE-BW"),
    Agency("Polizeipräsidium München", "DE", "DE-BY"),
    Agency("Bundespolizei", "DE"),
    Agency("Policía Nacional", "ES"),
    Agency("Guardia Civil", "ES"),
    Agency("Mossos d'Esquadra", "ES", "ES-CT"),
    Agency("Policía Municipal de Málaga", "ES"),
    Agency("Ertzaintza", "ES", "ES-PV"),
    Agency("Politie Eenheid Amsterdam", "NL"),
    Agency("Koninklijke Marechaussee", "NL"),
    Agency("Federale Politie België", "BE"),
    Agency("Polizia di Stato", "IT"),
    Agency("Arma dei Carabinieri", "IT"),
    Agency("Guardia di Finanza – Comando di Napoli", "IT"),
    Agency("Polícia Civil de São Paulo", "BR", "BR-SP"),
    Agency("Polícia Federal", "BR"),
    Agency("Polícia Judiciária", "PT"),
    Agency("Guarda Nacional Republicana", "PT"),
    Agency("Policía de Investigaciones de Chile", "CL"),
    Agency("Policía Federal Argentina", "AR"),
    Agency("Royal Canadian Mounted Police", "CA"),
    Agency("Service de police de la Ville de Montréal", "CA", "CA-QC"),
    Agency("Metropolitan Police Service", "GB"),
    Agency("Police Scotland", "GB"),
    Agency("An Garda Síochána", "IE"),
    Agency("Politiet – Oslo politidistrikt", "NO"),
    Agency("Københavns Politi", "DK"),
    Agency("Komenda Miejska Policji w Łodzi", "PL"),
    Agency("Policja – Komenda Wojewódzka Łódź", "PL"),
    Agency("Australian Federal Police", "AU"),
    Agency("New Zealand Police", "NZ"),
    Agency("Interpol", ""),
    Agency("Europol", ""),
)

AGENCIES: tuple[Agency, ...] = US_AGENCIES + WORLD_AGENCIES


@dataclass(frozen=True)
class Headers:
    """One language's header wordings for each column role (several per role)."""

    agency: tuple[str, ...]
    #: Headers that name what was counted, with the metric each names.
    count: tuple[tuple[str, str], ...]
    date: tuple[str, ...]
    rownum: tuple[str, ...]
    account: tuple[str, ...]
    users: tuple[str, ...]
    fee: tuple[str, ...]
    status: tuple[str, ...]
    flag: tuple[str, ...]
    notes: tuple[str, ...]
    region: tuple[str, ...]
    total: tuple[str, ...]
    subtotal: tuple[str, ...]
    #: Group labels of a two-level header: over the customer, over the activity.
    groups: tuple[tuple[str, str], ...]
    status_values: tuple[str, ...]
    report_title: tuple[str, ...]
    sheet_data: tuple[str, ...]
    sheet_summary: str
    sheet_notes: str
    months: tuple[str, ...]


HEADERS: dict[str, Headers] = {
    "en": Headers(
        agency=(
            "Agency",
            "Agency Name",
            "Organization",
            "Customer",
            "Requesting Agency",
            "Department",
        ),
        count=(
            ("Searches", "searches"),
            ("Search Count", "searches"),
            ("Queries Run", "queries"),
            ("Total Searches", "searches"),
            ("Number of Requests", "requests"),
            ("Hits", "hits"),
        ),
        date=("Date", "Search Date", "Period", "Last Activity", "Month"),
        rownum=("#", "No.", "Row"),
        account=("Acct #", "Org #", "Customer No.", "Account ID"),
        users=("Users", "Seats", "Licensed Users"),
        fee=("Administrative Fees", "Amount", "Cost", "Fee"),
        status=("Status", "Account Status"),
        flag=("Active", "Paid?", "Sharing Enabled"),
        notes=("Notes", "Comments", "If records were provided by another agency, explain"),
        region=("State", "Region"),
        total=("Total", "Grand Total", "TOTAL"),
        subtotal=("Subtotal", "Total"),
        groups=(("Customer", "Usage"), ("Account", "Activity")),
        status_values=("Active", "Inactive", "Suspended", "Trial"),
        report_title=("Search activity by agency", "Customer usage report", "Agency query summary"),
        sheet_data=("Data", "Customers", "Export", "Sheet1"),
        sheet_summary="Summary",
        sheet_notes="Notes",
        months=(
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ),
    ),
    "fr": Headers(
        agency=("Service", "Nom de l'organisme", "Organisme", "Client", "Administration"),
        count=(
            ("Nombre de recherches", "searches"),
            ("Recherches", "searches"),
            ("Requêtes effectuées", "queries"),
            ("Nombre de demandes", "requests"),
        ),
        date=("Date", "Date de recherche", "Période"),
        rownum=("N°", "No", "#"),
        account=("N° client", "Identifiant", "N° de compte"),
        users=("Utilisateurs", "Licences"),
        fee=("Frais", "Montant (EUR)", "Coût"),
        status=("Statut", "État"),
        flag=("Actif", "Payant"),
        notes=("Remarques", "Commentaires"),
        region=("Pays", "Région"),
        total=("Total", "Total général", "TOTAL"),
        subtotal=("Sous-total",),
        groups=(("Client", "Activité"),),
        status_values=("Actif", "Inactif", "Suspendu", "Essai"),
        report_title=("Recherches par service", "Rapport d'utilisation"),
        sheet_data=("Données", "Clients", "Feuil1"),
        sheet_summary="Résumé",
        sheet_notes="Remarques",
        months=(
            "janvier",
            "février",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "août",
            "septembre",
            "octobre",
            "novembre",
            "décembre",
        ),
    ),
    "de": Headers(
        agency=("Behörde", "Dienststelle", "Organisation", "Kunde", "Name der Behörde"),
        count=(
            ("Anzahl Suchanfragen", "searches"),
            ("Suchanfragen", "searches"),
            ("Abfragen", "queries"),
            ("Anzahl Anfragen", "requests"),
            ("Treffer", "hits"),
        ),
        date=("Datum", "Suchdatum", "Zeitraum"),
        rownum=("Nr.", "Lfd. Nr.", "#"),
        account=("Kundennr.", "Konto-ID", "Kd.-Nr."),
        users=("Benutzer", "Lizenzen"),
        fee=("Gebühren", "Betrag (EUR)", "Kosten"),
        status=("Status", "Zustand"),
        flag=("Aktiv", "Bezahlt"),
        notes=("Bemerkungen", "Anmerkungen"),
        region=("Land", "Bundesland"),
        total=("Summe", "Gesamt", "Gesamtsumme"),
        subtotal=("Zwischensumme",),
        groups=(("Kunde", "Nutzung"),),
        status_values=("Aktiv", "Inaktiv", "Gesperrt", "Test"),
        report_title=("Suchanfragen nach Behörde", "Nutzungsbericht"),
        sheet_data=("Daten", "Kunden", "Tabelle1"),
        sheet_summary="Übersicht",
        sheet_notes="Hinweise",
        months=(
            "Januar",
            "Februar",
            "März",
            "April",
            "Mai",
            "Juni",
            "Juli",
            "August",
            "September",
            "Oktober",
            "November",
            "Dezember",
        ),
    ),
    "es": Headers(
        agency=("Organismo", "Nombre del organismo", "Entidad", "Cliente", "Dependencia"),
        count=(
            ("Número de búsquedas", "searches"),
            ("Búsquedas", "searches"),
            ("Consultas realizadas", "queries"),
            ("Número de solicitudes", "requests"),
        ),
        date=("Fecha", "Fecha de búsqueda", "Periodo"),
        rownum=("N.º", "Nº", "#"),
        account=("N.º de cliente", "ID de cuenta", "Código"),
        users=("Usuarios", "Licencias"),
        fee=("Tasas", "Importe (EUR)", "Coste"),
        status=("Estado", "Situación"),
        flag=("Activo", "De pago"),
        notes=("Observaciones", "Comentarios"),
        region=("País", "Provincia"),
        total=("Total", "Total general", "TOTAL"),
        subtotal=("Subtotal",),
        groups=(("Cliente", "Actividad"),),
        status_values=("Activo", "Inactivo", "Suspendido", "Prueba"),
        report_title=("Búsquedas por organismo", "Informe de uso"),
        sheet_data=("Datos", "Clientes", "Hoja1"),
        sheet_summary="Resumen",
        sheet_notes="Notas",
        months=(
            "enero",
            "febrero",
            "marzo",
            "abril",
            "mayo",
            "junio",
            "julio",
            "agosto",
            "septiembre",
            "octubre",
            "noviembre",
            "diciembre",
        ),
    ),
    "nl": Headers(
        agency=("Instantie", "Naam organisatie", "Organisatie", "Klant", "Dienst"),
        count=(
            ("Aantal zoekopdrachten", "searches"),
            ("Zoekopdrachten", "searches"),
            ("Uitgevoerde bevragingen", "queries"),
            ("Aantal verzoeken", "requests"),
        ),
        date=("Datum", "Zoekdatum", "Periode"),
        rownum=("Nr.", "Volgnr.", "#"),
        account=("Klantnr.", "Account-ID", "Relatienummer"),
        users=("Gebruikers", "Licenties"),
        fee=("Kosten", "Bedrag (EUR)", "Vergoeding"),
        status=("Status", "Toestand"),
        flag=("Actief", "Betaald"),
        notes=("Opmerkingen", "Toelichting"),
        region=("Land", "Provincie"),
        total=("Totaal", "Eindtotaal", "TOTAAL"),
        subtotal=("Subtotaal",),
        groups=(("Klant", "Gebruik"),),
        status_values=("Actief", "Inactief", "Geschorst", "Proef"),
        report_title=("Zoekopdrachten per instantie", "Gebruiksrapport"),
        sheet_data=("Gegevens", "Klanten", "Blad1"),
        sheet_summary="Overzicht",
        sheet_notes="Opmerkingen",
        months=(
            "januari",
            "februari",
            "maart",
            "april",
            "mei",
            "juni",
            "juli",
            "augustus",
            "september",
            "oktober",
            "november",
            "december",
        ),
    ),
    "it": Headers(
        agency=("Ente", "Nome dell'ente", "Organizzazione", "Cliente", "Amministrazione"),
        count=(
            ("Numero di ricerche", "searches"),
            ("Ricerche", "searches"),
            ("Interrogazioni eseguite", "queries"),
            ("Numero di richieste", "requests"),
        ),
        date=("Data", "Data ricerca", "Periodo"),
        rownum=("N.", "Nr.", "#"),
        account=("Cod. cliente", "ID account", "N. cliente"),
        users=("Utenti", "Licenze"),
        fee=("Spese", "Importo (EUR)", "Costo"),
        status=("Stato", "Situazione"),
        flag=("Attivo", "A pagamento"),
        notes=("Note", "Osservazioni"),
        region=("Paese", "Regione"),
        total=("Totale", "Totale generale", "TOTALE"),
        subtotal=("Subtotale",),
        groups=(("Cliente", "Attività"),),
        status_values=("Attivo", "Inattivo", "Sospeso", "Prova"),
        report_title=("Ricerche per ente", "Rapporto di utilizzo"),
        sheet_data=("Dati", "Clienti", "Foglio1"),
        sheet_summary="Riepilogo",
        sheet_notes="Note",
        months=(
            "gennaio",
            "febbraio",
            "marzo",
            "aprile",
            "maggio",
            "giugno",
            "luglio",
            "agosto",
            "settembre",
            "ottobre",
            "novembre",
            "dicembre",
        ),
    ),
    "pt": Headers(
        agency=("Órgão", "Nome do órgão", "Entidade", "Cliente", "Instituição"),
        count=(
            ("Número de pesquisas", "searches"),
            ("Pesquisas", "searches"),
            ("Consultas realizadas", "queries"),
            ("Número de pedidos", "requests"),
        ),
        date=("Data", "Data da pesquisa", "Período"),
        rownum=("N.º", "Nº", "#"),
        account=("N.º cliente", "ID da conta", "Código"),
        users=("Usuários", "Licenças"),
        fee=("Taxas", "Valor (EUR)", "Custo"),
        status=("Situação", "Estado"),
        flag=("Ativo", "Pago"),
        notes=("Observações", "Comentários"),
        region=("País", "Estado/UF"),
        total=("Total", "Total geral", "TOTAL"),
        subtotal=("Subtotal",),
        groups=(("Cliente", "Atividade"),),
        status_values=("Ativo", "Inativo", "Suspenso", "Teste"),
        report_title=("Pesquisas por órgão", "Relatório de utilização"),
        sheet_data=("Dados", "Clientes", "Planilha1"),
        sheet_summary="Resumo",
        sheet_notes="Notas",
        months=(
            "janeiro",
            "fevereiro",
            "março",
            "abril",
            "maio",
            "junho",
            "julho",
            "agosto",
            "setembro",
            "outubro",
            "novembro",
            "dezembro",
        ),
    ),
}

#: Yes/No style flag values, per language (true, false).
FLAGS: dict[str, tuple[tuple[str, str], ...]] = {
    "en": (("Yes", "No"), ("Y", "N"), ("True", "False"), ("TRUE", "FALSE")),
    "fr": (("Oui", "Non"), ("O", "N"), ("Vrai", "Faux")),
    "de": (("Ja", "Nein"), ("J", "N"), ("Wahr", "Falsch")),
    "es": (("Sí", "No"), ("S", "N"), ("Verdadero", "Falso")),
    "nl": (("Ja", "Nee"), ("J", "N"), ("Waar", "Onwaar")),
    "it": (("Sì", "No"), ("S", "N"), ("Vero", "Falso")),
    "pt": (("Sim", "Não"), ("S", "N"), ("Verdadeiro", "Falso")),
}

#: Free-text remarks a sparse notes column holds (English; a real export mixes languages).
NOTES = (
    "Records provided by the county records unit",
    "Renewed after trial, see contract 2020-114",
    "Contact left the agency; account reassigned",
    "Duplicate account merged in April",
    "Per MOU, sharing limited to stolen vehicles",
    "Invoice disputed",
)

#: Export banners a system prints above a table (they name no agency and no count).
BANNERS = (
    "Exported by admin@vendor-portal.example",
    "CONFIDENTIAL - FOR OFFICIAL USE ONLY",
    "Generated by Analytics Console v4.2",
    "Page 1",
    "Responsive records - Request No. 2021-0457",
)
