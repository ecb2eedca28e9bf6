"""Column labels that Zoom, Teams and Meet write in their UI languages: hints, never the rule.

A column is recognised by what it holds (see `columns`); a known label only says which of two
time columns is the join, which text column holds the name, and in which language a report is,
so messages can say what was recognised.
"""

from __future__ import annotations

from compliance.domain.reports.headers import column_key

LANGUAGES = {
    "en": "English", "fr": "French", "pt": "Portuguese", "de": "German", "es": "Spanish",
    "it": "Italian", "nl": "Dutch", "id": "Indonesian", "ja": "Japanese", "zh": "Chinese",
}  # fmt: skip

_LABELS: dict[str, dict[str, tuple[str, ...]]] = {
    "name": {
        "en": ("Name (Original Name)", "Name", "Full Name", "Participant", "Participant name"),
        "fr": ("Nom (nom d'origine)", "Nom", "Nom complet", "Nom du participant"),
        "pt": ("Nome (nome original)", "Nome", "Nome completo", "Nome do participante"),
        "de": ("Name (ursprünglicher Name)", "Name (Originalname)", "Vollständiger Name"),
        "es": ("Nombre (nombre original)", "Nombre", "Nombre completo"),
        "it": ("Nome (nome originale)", "Nome completo"),
        "nl": ("Naam (oorspronkelijke naam)", "Naam (originele naam)", "Naam", "Volledige naam"),
        "id": ("Nama (Nama Asli)", "Nama", "Nama Lengkap", "Nama lengkap"),
        "ja": ("名前 (元の名前)", "名前（元の名前）", "名前", "氏名", "フル ネーム", "フルネーム"),
        "zh": ("名称(原始名称)", "名称 (原始名称)", "姓名", "名称", "全名", "名字", "参会者"),
    },
    "email": {
        "en": ("User Email", "Email", "E-mail", "Email address", "Participant ID (UPN)"),
        "fr": ("E-mail de l'utilisateur", "Adresse e-mail", "Courriel", "Adresse de messagerie"),
        "pt": ("E-mail do usuário", "E-mail do utilizador", "Endereço de e-mail"),
        "de": ("Benutzer-E-Mail", "E-Mail", "E-Mail-Adresse"),
        "es": ("Correo electrónico del usuario", "Correo electrónico", "Correo"),
        "it": ("E-mail utente", "Indirizzo e-mail", "Posta elettronica"),
        "nl": ("E-mailadres gebruiker", "E-mail gebruiker", "E-mailadres"),
        "id": ("Email Pengguna", "Surel", "Alamat email"),
        "ja": ("ユーザーメール", "メール", "メールアドレス", "電子メール"),
        "zh": ("用户邮箱", "用户电子邮件", "电子邮件", "邮箱", "電子郵件"),
    },
    "join": {
        "en": ("Join Time", "First join", "First Join Time", "Time joined", "First Seen"),
        "fr": ("Heure d'arrivée", "Heure de connexion", "Première arrivée", "Première connexion"),
        "pt": ("Hora de entrada", "Horário de entrada", "Primeira entrada", "Hora de ingresso"),
        "de": ("Beitrittszeit", "Zeitpunkt des Beitritts", "Erster Beitritt", "Teilnahmezeit"),
        "es": ("Hora de entrada", "Hora de unión", "Primera unión", "Hora de ingreso"),
        "it": ("Ora di ingresso", "Ora di partecipazione", "Primo ingresso", "Ora di accesso"),
        "nl": ("Tijd van deelname", "Deelnametijd", "Eerste deelname", "Tijd van toetreden"),
        "id": ("Waktu Bergabung", "Pertama bergabung", "Waktu masuk"),
        "ja": ("参加時刻", "参加時間", "最初の参加", "入室時刻"),
        "zh": ("加入时间", "入会时间", "首次加入", "加入時間"),
    },
    "leave": {
        "en": ("Leave Time", "Last leave", "Last Leave Time", "Time exited"),
        "fr": ("Heure de départ", "Dernier départ", "Heure de déconnexion"),
        "pt": ("Hora de saída", "Horário de saída", "Última saída"),
        "de": ("Austrittszeit", "Zeitpunkt des Verlassens", "Letztes Verlassen", "Verlassen um"),
        "es": ("Hora de salida", "Última salida"),
        "it": ("Ora di uscita", "Ultima uscita"),
        "nl": ("Tijd van vertrek", "Vertrektijd", "Laatste vertrek"),
        "id": ("Waktu Keluar", "Terakhir keluar"),
        "ja": ("退出時刻", "退出時間", "最後の退出", "退室時刻"),
        "zh": ("离开时间", "退出时间", "最后离开", "離開時間"),
    },
    "minutes": {
        "en": ("Duration (Minutes)", "Total Duration (Minutes)"),
        "fr": ("Durée (minutes)", "Durée totale (minutes)"),
        "pt": ("Duração (minutos)", "Duração total (minutos)"),
        "de": ("Dauer (Minuten)", "Gesamtdauer (Minuten)"),
        "es": ("Duración (minutos)", "Duración total (minutos)"),
        "it": ("Durata (minuti)", "Durata totale (minuti)"),
        "nl": ("Duur (minuten)", "Totale duur (minuten)"),
        "id": ("Durasi (Menit)", "Total Durasi (Menit)"),
        "ja": ("所要時間（分）", "所要時間 (分)", "合計時間（分）", "合計所要時間（分）"),
        "zh": ("时长(分钟)", "时长（分钟）", "持续时间（分钟）", "总时长(分钟)"),
    },
    "length": {
        "en": ("Duration", "In-meeting duration", "Time in Call"),
        "fr": ("Durée", "Durée de la réunion", "Durée dans la réunion"),
        "pt": ("Duração", "Duração na reunião"),
        "de": ("Dauer", "Dauer in der Besprechung"),
        "es": ("Duración", "Duración en la reunión"),
        "it": ("Durata", "Durata nella riunione"),
        "nl": ("Duur", "Duur in vergadering"),
        "id": ("Durasi", "Durasi dalam rapat"),
        "ja": ("会議の長さ", "期間", "会議中の時間"),
        "zh": ("持续时间", "时长", "会议中持续时间"),
    },
    "action": {
        "en": ("User Action", "Action", "Activity"),
        "fr": ("Action de l'utilisateur", "Action", "Activité"),
        "pt": ("Atividade", "Ação do usuário", "Ação"),
        "de": ("Benutzeraktion", "Aktion", "Aktivität"),
        "es": ("Acción del usuario", "Acción", "Actividad"),
        "it": ("Azione utente", "Azione dell'utente", "Attività"),
        "nl": ("Gebruikersactie", "Actie", "Activiteit"),
        "id": ("Tindakan Pengguna", "Tindakan", "Aktivitas"),
        "ja": ("ユーザーのアクション", "ユーザー アクション", "アクション", "アクティビティ"),
        "zh": ("用户操作", "用户活动", "操作", "活动"),
    },
    "timestamp": {
        "en": ("Timestamp", "Time stamp", "Date and time"),
        "fr": ("Horodatage", "Date et heure"),
        "pt": ("Data e hora", "Carimbo de data/hora", "Data e horário"),
        "de": ("Zeitstempel", "Datum und Uhrzeit"),
        "es": ("Marca de tiempo", "Fecha y hora"),
        "it": ("Data e ora", "Timestamp"),
        "nl": ("Tijdstempel", "Datum en tijd"),
        "id": ("Tanda Waktu", "Stempel waktu", "Tanggal dan waktu"),
        "ja": ("タイムスタンプ", "日時"),
        "zh": ("时间戳", "日期和时间", "時間戳記"),
    },
    "waiting": {
        "en": ("In Waiting Room",), "fr": ("Dans la salle d'attente",),
        "pt": ("Na sala de espera",), "de": ("Im Warteraum",), "es": ("En la sala de espera",),
        "it": ("Nella sala d'attesa",), "nl": ("In wachtkamer",), "id": ("Di Ruang Tunggu",),
        "ja": ("待機室内", "待機室"), "zh": ("在等候室", "等候室"),
    },
    "role": {
        "en": ("Role",), "fr": ("Rôle",), "pt": ("Função", "Papel"), "de": ("Rolle",),
        "es": ("Rol", "Función"), "it": ("Ruolo",), "nl": ("Rol",), "id": ("Peran",),
        "ja": ("役割", "ロール"), "zh": ("角色",),
    },
}  # fmt: skip

# Teams attendance-list actions. "Joined before": already there when the list began.
_ACTIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "join": {
        "en": ("Joined", "Joined before", "Join"),
        "fr": ("A rejoint", "Rejoint", "A rejoint avant", "Rejoint avant", "Connecté"),
        "pt": ("Entrou", "Ingressou", "Entrou antes", "Ingressou antes"),
        "de": ("Beigetreten", "Vorher beigetreten", "Zuvor beigetreten"),
        "es": ("Unido", "Se unió", "Unido antes", "Se unió antes", "Entró"),
        "it": ("Partecipato", "Entrato", "Si è unito", "Aggiunto", "Partecipato prima"),
        "nl": ("Deelgenomen", "Toegetreden", "Eerder deelgenomen", "Neemt deel"),
        "id": ("Bergabung", "Bergabung sebelumnya", "Telah bergabung"),
        "ja": ("参加済み", "参加", "以前に参加"),
        "zh": ("已加入", "加入", "之前已加入"),
    },
    "leave": {
        "en": ("Left", "Leave"),
        "fr": ("A quitté", "Quitté", "Parti", "Déconnecté"),
        "pt": ("Saiu",),
        "de": ("Verlassen", "Hat verlassen", "Gegangen"),
        "es": ("Salió", "Abandonó", "Se fue"),
        "it": ("Uscito", "Ha lasciato", "Abbandonato"),
        "nl": ("Verlaten", "Vertrokken", "Links"),
        "id": ("Keluar", "Meninggalkan", "Telah keluar"),
        "ja": ("退出済み", "退出"),
        "zh": ("已离开", "离开", "已退出"),
    },
}  # fmt: skip


def _index(table: dict[str, dict[str, tuple[str, ...]]]) -> dict[str, tuple[str, str]]:
    """Return each folded label mapped to its (role, language); the first listed wins."""
    found: dict[str, tuple[str, str]] = {}
    for role, by_language in table.items():
        for language, labels in by_language.items():
            for label in labels:
                found.setdefault(column_key(label), (role, language))
    return found


_BY_LABEL = _index(_LABELS)
_BY_ACTION = _index(_ACTIONS)


_YES = frozenset(
    word.casefold()
    for word in ("Yes", "Oui", "Sim", "Ja", "Sí", "Si", "Sì", "Ya", "はい", "是", "Y", "True")
)


def means_yes(cell: str) -> bool:
    """Return whether a Yes/No cell says yes, in the languages reports come in."""
    return cell.strip().casefold() in _YES


def role_of_label(cell: str) -> tuple[str, str] | None:
    """Return the (role, language) a header cell is known to name, or None."""
    return _BY_LABEL.get(column_key(cell))


def action_of(cell: str) -> str | None:
    """Return "join" or "leave" for a known attendance-list action word, else None."""
    found = _BY_ACTION.get(column_key(cell))
    return found[0] if found else None


def language_of(cells: tuple[str, ...]) -> str | None:
    """Return the name of the language most known labels of a header row are in, or None."""
    votes: dict[str, int] = {}
    for cell in cells:
        if (found := role_of_label(cell)) is not None:
            votes[found[1]] = votes.get(found[1], 0) + 1
    if not votes:
        return None
    # English labels are often kept in other languages' exports ("Email"): any other wins a tie.
    best = max(votes, key=lambda language: (votes[language], language != "en"))
    return LANGUAGES[best]
