"""A lost page link, sent again to the page's proven address."""

from __future__ import annotations

from compliance.extensions import db
from compliance.services import audit, outbox
from compliance.services.attendance import clean_email
from compliance.services.email_proof import proven_page
from compliance.services.errors import InvalidInput


def send_page_link(email: str) -> None:
    """Queue the page link for a proven address; do nothing, and say nothing, for any other.

    The caller answers the same either way: whether an address has a page is nobody's
    business (it would tell who is court-ordered).
    """
    address = clean_email(email)
    if address is None:
        raise InvalidInput("email", "Enter the email address your page was confirmed with.")
    page = proven_page(address)
    if page is None:
        return
    outbox.enqueue("recover", address, page.language, attendee_id=page.id)
    audit.record_event("page.link_requested", "anonymous", f"attendee:{page.id}")
    db.session.commit()
