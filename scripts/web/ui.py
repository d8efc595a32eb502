"""The planner widget's own words: French gettext msgids, translated by the language's catalog.

Used twice: the build writes the form with them (scripts/web/form_html.py) and the manifest gives them
to the widget, which renders them like the engine's messages (``{name}`` placeholders, plural forms
from the catalog). ``N_`` marks a string and ``NP_`` a singular/plural pair for extraction
(scripts/i18n/extract.py).
"""
from __future__ import annotations


def N_(s: str) -> str:
    return s


def NP_(singular: str, plural: str) -> tuple[str, str]:
    return singular, plural


UI = {
    # the form (written at build time)
    "title": N_("Votre plan personnel"),
    "intro": N_("Répondez à quelques questions : le calcul se fait sur votre téléphone, rien n'est envoyé."),
    "procedure": N_("Votre situation"),
    "submit": N_("Calculer mon plan"),
    "yes": N_("Oui"),
    "no": N_("Non"),
    "choose": N_("Choisir…"),
    "required_mark": N_("(obligatoire)"),
    "keep": N_("Garder mes réponses sur ce téléphone"),
    "keep_help": N_("Enregistrées seulement dans ce navigateur, jamais envoyées. Le journal des tentatives "
                    "reste de toute façon jusqu'à la fermeture de cet onglet."),
    "keep_shared": N_("Vos réponses ne sont pas gardées à cette adresse, car d'autres sites la partagent et "
                      "pourraient les lire ; votre journal des tentatives reste seulement dans cet onglet, "
                      "jusqu'à sa fermeture."),
    # loading and errors
    "loading": N_("Préparation du calculateur sur votre téléphone…"),
    "loading_bytes": N_("Téléchargement : {done} sur {total}"),
    "megabytes": N_("{n} Mo"),
    "ready": N_("Calculateur prêt."),
    "computing": N_("Calcul en cours…"),
    "error_wasm": N_("Votre navigateur ne peut pas faire ce calcul (WebAssembly indisponible). Suivez la liste à "
                     "cocher de cette page : elle contient les mêmes étapes."),
    "error_download": N_("Le calculateur n'a pas pu être chargé (connexion interrompue ?). Réessayez plus tard, ou "
                         "suivez la liste à cocher de cette page : elle contient les mêmes étapes."),
    "error_integrity": N_("Un fichier du calculateur ne correspond pas à celui publié par le guide : il n'est pas "
                          "utilisé. Rechargez la page plus tard ; en attendant, suivez la liste à cocher de cette page."),
    "error_engine": N_("Le calcul a échoué. Réessayez ; si cela recommence, suivez la liste à cocher de cette page."),
    "retry": N_("Réessayer"),
    "see_checklist": N_("Voir la liste à cocher"),
    "fix_errors": N_("Certaines réponses sont à corriger : voir les messages à côté des champs."),
    "required": N_("Ce champ est obligatoire."),
    "date_range": N_("La date doit être comprise entre le {min} et le {max}."),
    "date_invalid": N_("Ce n'est pas une date valide."),
    # the plan
    "plan": N_("Votre plan daté"),
    "computed_on": N_("Plan calculé pour le {date}."),
    "rules_checked": N_("Règles vérifiées le {date}."),
    "level_danger": N_("Important"),
    "level_warning": N_("Attention"),
    "level_info": N_("À savoir"),
    "range": N_("du {start} au {end}"),
    "status_done": N_("Fait"),
    "status_overdue": N_("En retard"),
    "status_now": N_("Maintenant"),
    "status_later": N_("Plus tard"),
    "group_done": N_("Déjà fait"),
    "group_overdue": N_("Délais dépassés"),
    "group_now": N_("À faire maintenant"),
    "group_later": N_("Ensuite"),
    "done_on": N_("Fait le {date}"),
    "deadline": N_("au plus tard le {date}"),
    "mark_today": N_("C'est fait aujourd'hui"),
    "mark_other": N_("C'est fait un autre jour"),
    "mark_date": N_("Date où c'était fait"),
    "mark_save": N_("Enregistrer et recalculer"),
    "unmark": N_("Ce n'est pas fait"),
    "why": N_("Pourquoi cette date"),
    "sources": N_("Règles appliquées"),
    "references": N_("Références"),
    "source_line": N_("{description} : {value}, en vigueur depuis le {since}"),
    "figure": N_("{label} : {value}"),
    "conf_verified": N_("vérifié le {date}"),
    "conf_derived": N_("déduit des textes, vérifié le {date}"),
    "conf_unverified": N_("à vérifier"),
    "tribunal": N_("Tribunal administratif compétent"),
    "tribunal_for": N_("Préfecture : {departement} ({code})"),
    "aid": N_("Aide juridictionnelle"),
    "aid_missing": N_("Pour calculer l'aide juridictionnelle, complétez dans le formulaire :"),
    "aid_invite": N_("Pour savoir si l'aide juridictionnelle paie l'avocat et les frais, remplissez la partie "
                     "« Aide juridictionnelle » du formulaire. Le plan n'en dépend pas."),
    "evidence_verdict": N_("Vos preuves de tentatives"),
    "missing_evidence": N_("Preuves encore à réunir"),
    "ics": N_("Ajouter les rappels à mon agenda (.ics)"),
    "ics_none": N_("Aucun rappel à venir."),
    "ics_help": N_("Après un changement, téléchargez un nouveau fichier : il remplace les rappels d'avant si votre "
                   "agenda sait le faire ; sinon, et pour une étape faite entre-temps, supprimez vous-même les "
                   "anciens rappels."),
    "print_checklist": N_("Imprimer ma liste d'étapes"),
    "print_case": N_("Imprimer mon dossier (lettre, annexe, requête)"),
    "checklist_title": N_("Ma liste d'étapes"),
    # letters
    "letters": N_("Vos courriels, lettre et requête, remplis"),
    "letters_note": N_("Le texte reste en français, la langue que lit la préfecture."),
    "letters_beside": N_("À côté de chaque paragraphe, sa traduction pour comprendre ce que vous envoyez. "
                         "N'envoyez que le texte en français."),
    "not_translated": N_("Pas encore traduit : texte en français."),
    "instructions": N_("Comment déposer la requête"),
    "copy": N_("Copier"),
    "copied": N_("Copié."),
    "mailto": N_("Ouvrir dans ma messagerie"),
    # the evidence log
    "evidence": N_("Journal des tentatives de rendez-vous"),
    "evidence_help": N_("Notez chaque tentative sans rendez-vous disponible, avec sa capture d'écran."),
    "attempt_date": N_("Date"),
    "attempt_day": N_("Jour"),
    "attempt_time": N_("Heure"),
    "attempt_prefecture": N_("Préfecture"),
    "attempt_note": N_("Note"),
    "add_attempt": N_("Ajouter la tentative"),
    "remove": N_("Supprimer"),
    "remove_attempt": N_("Supprimer la tentative du {date} à {time}"),
    "attempt_no_date": N_("Indiquez la date de la tentative."),
    "attempt_no_time": N_("Indiquez l'heure de la tentative."),
    "attempt_future": N_("Cette date n'est pas encore passée."),
    "attempts": N_("Tentatives"),
    "distinct_days": N_("Jours distincts"),
    "distinct_weeks": N_("Semaines distinctes"),
    "export": N_("Exporter le journal (JSON)"),
    "import": N_("Importer un journal"),
    "imported": NP_("{n} tentative ajoutée au journal.", "{n} tentatives ajoutées au journal."),
    "import_duplicates": NP_("{n} tentative était déjà dans le journal.", "{n} tentatives étaient déjà dans le journal."),
    "import_empty": N_("Ce fichier ne contient aucune tentative : votre journal n'a pas changé."),
    "import_undo": N_("Retirer les tentatives ajoutées par cet import"),
    "import_undone": N_("Les tentatives ajoutées par cet import sont retirées ; celles notées depuis restent."),
    "import_refused": N_("Fichier refusé : {reason}. Votre journal actuel n'a pas été modifié."),
    "log_too_large": N_("fichier trop grand (plus de {kb} Ko)"),
    "log_not_json": N_("ce n'est pas un journal exporté par Guichet (JSON illisible)"),
    "log_format": N_("format de fichier inconnu"),
    "log_version": N_("version de journal inconnue"),
    "log_no_list": N_("aucune liste de tentatives"),
    "log_too_many": N_("plus de {max} tentatives"),
    "log_entry": N_("tentative n° {n} illisible"),
    "log_future": N_("tentative n° {n} datée après aujourd'hui"),
    # erase, kept apart from the main button
    "forget": N_("Tout effacer"),
    "forget_confirm": N_("Effacer de ce téléphone vos réponses, votre plan et votre journal des tentatives ? Pensez à "
                         "exporter le journal avant : il ne pourra pas être retrouvé."),
    "forget_yes": N_("Oui, tout effacer"),
    "forget_no": N_("Annuler"),
    "forgotten": N_("Vos réponses et votre journal ont été effacés de ce téléphone."),
    "forgotten_files": N_("Le site n'efface pas les fichiers que vous avez téléchargés (lettres et dossier "
                          "enregistrés, calendrier .ics, journal exporté) : supprimez-les vous-même des "
                          "téléchargements de votre téléphone."),
    "forgotten_elsewhere": N_("Vos réponses ont été effacées depuis un autre onglet : cet onglet ne les garde plus."),
    "keep_stopped": N_("Un autre onglet ne garde plus vos réponses : celui-ci non plus."),
}
