"""Gradio's own labels and screen-reader strings in Danish, and `lang="da"` on the page.

Gradio ships no Danish; its frontend picks a built-in locale from the browser (English for a Danish browser
too). Flat keys passed through `gr.I18n` win over the built-in nested ones, so the same Danish table is
registered for `en` and `da`: whatever locale the frontend picks, the strings are Danish. The frontend
also writes its locale into `<html lang>`; HEAD keeps it `da`.
"""

from __future__ import annotations

DANISH: dict[str, str] = {
    "blocks.connection_can_break": "På mobilen kan forbindelsen blive afbrudt, hvis fanen ikke er i fokus.",
    "blocks.long_requests_queue": "Der er mange forespørgsler i kø lige nu.",
    "blocks.lost_connection": "Forbindelsen blev afbrudt. Forbinder igen …",
    "blocks.waiting_for_inputs": "Venter på, at filerne er uploadet – prøv igen om lidt.",
    "chatbot.edit": "Redigér",
    "chatbot.retry": "Prøv igen",
    "chatbot.undo": "Fortryd",
    "chatbot.submit": "Send",
    "chatbot.cancel": "Annullér",
    "chatbot.like": "Godt svar",
    "chatbot.dislike": "Dårligt svar",
    "chatbot.clear": "Ryd",
    "chatbot.complete": "Færdig",
    "chatbot.copy_message": "Kopiér besked",
    "chatbot.copied_message": "Besked kopieret",
    "common.built_with": "lavet med",
    "common.built_with_gradio": "Lavet med Gradio",
    "common.clear": "Ryd",
    "common.complete": "Færdig",
    "common.download": "Hent",
    "common.download_all": "Hent alle",
    "common.edit": "Redigér",
    "common.empty": "Tom",
    "common.error": "Fejl",
    "common.hosted_on": "Hostet på",
    "common.loading": "Indlæser",
    "common.logo": "logo",
    "common.or": "eller",
    "common.remove": "Fjern",
    "common.runs": "Kørsler",
    "common.settings": "Indstillinger",
    "common.share": "Del",
    "common.submit": "Send",
    "common.undo": "Fortryd",
    "common.language": "Sprog",
    "common.display_theme": "Tema",
    "common.progress": "Fremdrift",
    "common.run": "Kør",
    "dataframe.incorrect_format": "Forkert format; kun CSV- og TSV-filer understøttes",
    "dataframe.new_column": "Tilføj kolonne",
    "dataframe.new_row": "Ny række",
    "dataframe.sort_column": "Sortér kolonne",
    "dataframe.sort_ascending": "Sortér stigende",
    "dataframe.sort_descending": "Sortér faldende",
    "dataframe.clear_sort": "Ryd sortering",
    "dataframe.filter": "Filtrér",
    "dataframe.clear_filter": "Ryd filtre",
    "dataframe.drop_to_upload": "Slip CSV- eller TSV-filer her",
    "dropdown.dropdown": "Rullemenu",
    "errors.contact_page_author": "Kontakt den ansvarlige for siden.",
    "errors.use_via_api": "Brug via API",
    "errors.use_via_api_or_mcp": "Brug via API eller MCP",
    "file.uploading": "Uploader …",
    "upload_text.click_to_upload": "Klik for at uploade",
    "upload_text.drop_file": "Slip filer her",
    "upload_text.drop_csv": "Slip CSV her",
    "upload_text.drop_image": "Slip billede her",
    "upload_text.drop_audio": "Slip lyd her",
    "upload_text.drop_video": "Slip video her",
    "upload_text.drop_gallery": "Slip medier her",
    "upload_text.paste_clipboard": "Indsæt fra udklipsholderen",
    "status.queue_position": "I kø: {position} af {size}",
    "login.login": "Log ind",
    "login.password": "adgangskode",
    "login.username": "brugernavn",
    "login.incorrect_credentials": "Forkerte oplysninger",
    "textbox.textbox": "Tekstfelt",
    "number.number": "Tal",
    "checkbox.checkbox": "Afkrydsningsfelt",
    "label.label": "Etiket",
}

# runs before Gradio's scripts: the page is Danish whatever locale the frontend settles on
HEAD = """
<meta name="description" content="Spørg kommunens mødereferater – svar med kilde.">
<script>
(function () {
  var root = document.documentElement;
  root.lang = 'da';
  new MutationObserver(function () { if (root.lang !== 'da') root.lang = 'da'; })
    .observe(root, {attributes: true, attributeFilter: ['lang']});
})();
</script>
"""
