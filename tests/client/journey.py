"""One family from intake to approval, driven by a client generated from
the served OpenAPI document with openapi-python-client (nobody here wrote
it), so the published contract keeps working for another ministry's code.

    .ci/run generates the client into a directory and runs:
    python tests/client/journey.py --client-dir DIR --url URL \
        --clerk TOKEN --verifier TOKEN --clearer TOKEN --approver TOKEN

(`--clearer` is a second verifier: version 2's security clearance is a
stage of its own, which the verifier who checked the members may not take.)

Each step sends the case's version as a quoted If-Match and checks the
state the server answers; any refusal stops the script with its problem.
"""

import argparse
import datetime
import random
import sys


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--client-dir", required=True, help="where casework_client was generated")
    parser.add_argument("--url", required=True)
    parser.add_argument("--clerk", required=True, help="an intake clerk's token")
    parser.add_argument("--verifier", required=True, help="a verifier's token")
    parser.add_argument("--clearer", required=True, help="a second verifier's token, for the clearance")
    parser.add_argument("--approver", required=True, help="an approver's token")
    args = parser.parse_args()
    sys.path.insert(0, args.client_dir)

    from casework_client import AuthenticatedClient
    from casework_client.api.applications import create_application, get_application, transition
    from casework_client.models import (
        ApplicationDraft,
        ApplicationView,
        CommandResult,
        DocumentKind,
        MemberDraft,
        Relationship,
        Sex,
        TransitionRequest,
    )

    def client(token: str) -> AuthenticatedClient:
        return AuthenticatedClient(base_url=args.url, token=token, raise_on_unexpected_status=True)

    clerk, verifier, approver = client(args.clerk), client(args.verifier), client(args.approver)
    clearer = client(args.clearer)
    # A family unlike the demo's, so no duplicate flag holds it up.
    rng = random.Random()
    page = rng.randrange(1000, 9999)
    entry = rng.randrange(10000, 99990)

    def member(first: str, relationship: Relationship, sex: Sex, born: datetime.date, n: int) -> MemberDraft:
        return MemberDraft(
            first_name=first,
            father_name="إبراهيم",
            mother_name="زينب الخليل",
            family_name="الجبوري",
            sex=sex,
            birth_date=born,
            birth_place="القامشلي",
            relationship=relationship,
            register_number=f"{page}/{entry + n}",
            documents=[DocumentKind.REGISTER_EXTRACT, DocumentKind.PHOTOS],
        )

    draft = ApplicationDraft(
        district="al_qamishli",
        office="qamishli_1",
        submitted_on=datetime.date.today() - datetime.timedelta(days=1),
        family_documents=[DocumentKind.APPLICATION_FORM],
        members=[
            member("خليل", Relationship.HEAD, Sex.MALE, datetime.date(1968, 3, rng.randrange(1, 28)), 0),
            member("نسرين", Relationship.SPOUSE, Sex.FEMALE, datetime.date(1972, 8, rng.randrange(1, 28)), 1),
        ],
    )
    created = create_application.sync(client=clerk, body=draft)
    state = expect(created, CommandResult, "open the family")
    reference, version = state.reference, state.version
    print(f"opened {reference} in {state.state} (version {version})")

    steps = [
        (clerk, "submit_for_verification", None),
        (verifier, "verify_member", 1),
        (verifier, "verify_member", 2),
        (verifier, "complete_verification", None),
        (clearer, "grant_clearance", None),
        (approver, "approve", None),
    ]
    for who, action, member_ordinal in steps:
        request = TransitionRequest(action=action)
        if member_ordinal is not None:
            request.member = member_ordinal
        answer = transition.sync(
            reference=reference, client=who, body=request, if_match=f'"{version}"'
        )
        result = expect(answer, CommandResult, action)
        version = result.version
        print(f"{action}{'' if member_ordinal is None else f' {member_ordinal}'} -> {result.state} (version {version})")

    case = expect(get_application.sync(reference=reference, client=approver), ApplicationView, "read the case")
    if case.state != "registration" or case.version != version:
        print(f"the case is in {case.state} at version {case.version} after approval", file=sys.stderr)
        return 1
    print(f"{reference} approved: now {case.state} (version {case.version})")
    return 0


def expect(answer, kind, what):
    if not isinstance(answer, kind):
        detail = getattr(answer, "detail", answer)
        raise SystemExit(f"{what}: expected {kind.__name__}, got {type(answer).__name__}: {detail}")
    return answer


if __name__ == "__main__":
    sys.exit(main())
