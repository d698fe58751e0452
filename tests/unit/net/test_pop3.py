"""The POP3 conversation (``net/pop3.py``) against a scripted peer: what
CAPA offers, which login it leads to, what is sent in which order, and that
nothing is sent that must not be. No mail server."""

from __future__ import annotations

import base64
from collections.abc import Callable

import pytest

from mailaccounts.model.secret import Secret
from mailaccounts.net import pop3
from mailaccounts.net.report import ConnectionReport, NetError, StepStatus
from mailaccounts.net.steps import Recorder
from mailaccounts.net.transport import CancelToken, LineChannel, StepClock
from tests.unit.net.conftest import Peer

GREETING = b"+OK ready\r\n"
CAPA = b"+OK\r\nTOP\r\nUSER\r\nUIDL\r\nSASL PLAIN xoauth2\r\n..dotted\r\n.\r\n"


def target(peer: Peer, **overrides: object) -> pop3.Pop3Target:
    fields: dict[str, object] = {
        "host": "127.0.0.1",
        "port": peer.port,
        "security": "none",
        "username": "info",
        "spa": False,
        "pinned_sha256": None,
        **overrides,
    }
    return pop3.Pop3Target(**fields)  # type: ignore[arg-type]


@pytest.fixture
def log_in(peers: list[Peer]) -> Callable[..., tuple[Peer, ConnectionReport, LineChannel]]:
    """Log in to a peer that greets and then answers *replies* in turn."""

    def run(
        replies: list[bytes], password: object = None, **overrides: object
    ) -> tuple[Peer, ConnectionReport, LineChannel]:
        peer = Peer(GREETING, replies)
        peers.append(peer)
        report = ConnectionReport()
        clock = StepClock(5)
        recorder = Recorder("pop3", report, None, clock)
        secret = Secret("pw-geheim") if password is None else password
        channel = pop3.login(
            target(peer, **overrides),
            secret,  # type: ignore[arg-type]
            recorder,
            clock,
            CancelToken(),
        )
        return peer, report, channel

    return run


def failure(call: Callable[[], object]) -> NetError:
    with pytest.raises(NetError) as info:
        call()
    return info.value


def test_user_and_pass_after_capa(
    log_in: Callable[..., tuple[Peer, ConnectionReport, LineChannel]],
) -> None:
    peer, report, channel = log_in([CAPA, b"+OK\r\n", b"+OK logged in\r\n", b"+OK bye\r\n"])
    assert channel.capabilities == ["TOP", "USER", "UIDL", "SASL PLAIN xoauth2", ".dotted"]
    pop3.quit_session(channel)
    channel.sock.close()
    assert peer.join() == ["CAPA", "USER info", "PASS pw-geheim", "QUIT"]
    steps = [(s.name, s.status) for s in report.steps]
    assert steps == [(n, StepStatus.OK) for n in ("connect", "capabilities", "login")]
    assert report.steps[1].detail["capabilities"] == channel.capabilities
    assert report.steps[2].detail["method"] == "USER/PASS"


def test_a_server_without_capa_is_logged_in_all_the_same(
    log_in: Callable[..., tuple[Peer, ConnectionReport, LineChannel]],
) -> None:
    peer, _, channel = log_in([b"-ERR unknown command\r\n", b"+OK\r\n", b"+OK\r\n"])
    assert channel.capabilities == []
    channel.sock.close()
    assert peer.join() == ["CAPA", "USER info", "PASS pw-geheim"]


def test_what_capa_says_is_made_fit_to_show(
    log_in: Callable[..., tuple[Peer, ConnectionReport, LineChannel]],
) -> None:
    capa = b"+OK\r\nX-\x1b[31mRED\r\nIMPLEMENTATION " + b"x" * 300 + b"\r\n.\r\n"
    _, _, channel = log_in([capa, b"+OK\r\n", b"+OK\r\n"])
    channel.sock.close()
    escaped, long = channel.capabilities
    assert "\x1b" not in escaped and escaped.startswith("X-\\x1b")
    assert len(long) == 200


def test_starttls_not_offered_sends_no_credential(
    log_in: Callable[..., tuple[Peer, ConnectionReport, LineChannel]], peers: list[Peer]
) -> None:
    problem = failure(lambda: log_in([CAPA], security="starttls")).problem
    assert problem.code == "starttls_not_offered"
    assert peers[0].join() == ["CAPA"]


def test_stls_refused_sends_no_credential(
    log_in: Callable[..., tuple[Peer, ConnectionReport, LineChannel]], peers: list[Peer]
) -> None:
    capa = b"+OK\r\nSTLS\r\nUSER\r\n.\r\n"
    problem = failure(lambda: log_in([capa, b"-ERR not now\r\n"], security="starttls")).problem
    assert problem.code == "starttls_refused" and problem.params["text"] == "-ERR not now"
    assert peers[0].join() == ["CAPA", "STLS"]


def test_spa_is_refused_before_auth_when_sasl_does_not_offer_ntlm(
    log_in: Callable[..., tuple[Peer, ConnectionReport, LineChannel]], peers: list[Peer]
) -> None:
    problem = failure(lambda: log_in([CAPA], spa=True)).problem
    assert problem.code == "mechanism_not_offered"
    assert problem.params == {"mechanism": "NTLM", "offered": "PLAIN XOAUTH2"}
    assert peers[0].join() == ["CAPA"]


def test_spa_starts_ntlm_where_sasl_lists_it(
    log_in: Callable[..., tuple[Peer, ConnectionReport, LineChannel]], peers: list[Peer]
) -> None:
    capa = b"+OK\r\nSASL NTLM\r\n.\r\n"
    problem = failure(lambda: log_in([capa, b"-ERR no\r\n"], spa=True)).problem
    assert problem.code == "mechanism_not_offered"  # the server turned AUTH NTLM down
    assert peers[0].join() == ["CAPA", "AUTH NTLM"]


class Tokens:
    """An OAuth2 token source: one token, then a fresh one when asked."""

    def __init__(self) -> None:
        self.asked: list[bool] = []

    def token(self, fresh: bool = False) -> Secret:
        self.asked.append(fresh)
        return Secret(f"token-{len(self.asked)}")


def xoauth2(token: str) -> str:
    return base64.b64encode(f"user=info\x01auth=Bearer {token}\x01\x01".encode()).decode()


def test_xoauth2_tries_a_fresh_token_once_when_the_first_is_refused(
    log_in: Callable[..., tuple[Peer, ConnectionReport, LineChannel]],
) -> None:
    tokens = Tokens()
    challenge = b"+ " + base64.b64encode(b'{"status":"401"}') + b"\r\n"
    replies = [CAPA, challenge, b"-ERR invalid\r\n", b"+OK welcome\r\n"]
    peer, report, channel = log_in(replies, password=tokens, oauth2=True)
    channel.sock.close()
    sent = peer.join()
    assert sent == [
        "CAPA",
        f"AUTH XOAUTH2 {xoauth2('token-1')}",
        "",
        f"AUTH XOAUTH2 {xoauth2('token-2')}",
    ]
    assert tokens.asked == [False, True]
    assert report.steps[-1].detail["method"] == "XOAUTH2"


def test_xoauth2_is_not_sent_where_sasl_lists_other_mechanisms(
    log_in: Callable[..., tuple[Peer, ConnectionReport, LineChannel]], peers: list[Peer]
) -> None:
    capa = b"+OK\r\nSASL PLAIN LOGIN\r\n.\r\n"
    problem = failure(lambda: log_in([capa], password=Tokens(), oauth2=True)).problem
    assert problem.params == {"mechanism": "XOAUTH2", "offered": "PLAIN LOGIN"}
    assert peers[0].join() == ["CAPA"]


def test_oauth2_without_a_sign_in_sends_nothing(
    log_in: Callable[..., tuple[Peer, ConnectionReport, LineChannel]], peers: list[Peer]
) -> None:
    problem = failure(lambda: log_in([CAPA], oauth2=True)).problem  # a password, no tokens
    assert problem.code == "oauth2_signin_required"
    assert peers[0].join() == ["CAPA"]


def test_a_refused_password_is_auth_rejected_and_the_echo_is_hidden(
    log_in: Callable[..., tuple[Peer, ConnectionReport, LineChannel]],
) -> None:
    refused = b"-ERR [AUTH] no such login: pw-geheim\r\n"
    problem = failure(lambda: log_in([CAPA, b"+OK\r\n", refused])).problem
    assert problem.code == "auth_rejected"
    assert problem.params["text"] == "-ERR [AUTH] no such login: ********"


def test_a_provider_that_takes_no_passwords_says_so(
    log_in: Callable[..., tuple[Peer, ConnectionReport, LineChannel]],
) -> None:
    refused = b"-ERR Authentication failed: basic authentication is disabled\r\n"
    problem = failure(lambda: log_in([CAPA, b"+OK\r\n", refused])).problem
    assert problem.code == "provider_password_refused"
    assert problem.params["oauth2"] == "microsoft"


@pytest.mark.parametrize(
    ("field", "overrides", "password"),
    [
        ("pop3.username", {"username": "info\r\nDELE 1"}, None),
        ("pop3.password", {}, Secret("pw\r\nDELE 1")),
        ("pop3.password", {}, Secret("pw\0")),
    ],
)
def test_a_line_break_in_a_credential_is_never_sent(
    log_in: Callable[..., tuple[Peer, ConnectionReport, LineChannel]],
    peers: list[Peer],
    field: str,
    overrides: dict[str, object],
    password: Secret | None,
) -> None:
    problem = failure(lambda: log_in([CAPA, b"+OK\r\n"], password=password, **overrides)).problem
    assert (problem.code, problem.params) == ("unsafe_value", {"field": field})
    assert peers[0].join() == ["CAPA"]


def test_no_password_stored_is_named_at_its_field(
    log_in: Callable[..., tuple[Peer, ConnectionReport, LineChannel]], peers: list[Peer]
) -> None:
    tokens_not_a_password = Tokens()
    problem = failure(lambda: log_in([CAPA], password=tokens_not_a_password)).problem
    assert (problem.code, problem.params) == ("password_missing", {"field": "pop3.password"})
    assert peers[0].join() == ["CAPA"]


@pytest.mark.parametrize(
    ("stat", "counted"),
    [(b"+OK 3 1200\r\n", (3, 1200)), (b"+OK 0 0 extra\r\n", (0, 0)), (b"+OK \xc2\xb2 1\r\n", None)],
)
def test_the_connection_test_counts_the_mailbox(
    peers: list[Peer], stat: bytes, counted: tuple[int, int] | None
) -> None:
    peer = Peer(GREETING, [CAPA, b"+OK\r\n", b"+OK\r\n", stat, b"+OK bye\r\n"])
    peers.append(peer)
    report, clock = ConnectionReport(), StepClock(5)
    recorder = Recorder("pop3", report, None, clock)

    def run() -> None:
        pop3.run(target(peer), Secret("pw"), recorder, clock, CancelToken())

    if counted is None:
        assert failure(run).problem.code == "protocol_error"
        assert peer.join()[-1] == "STAT"
    else:
        run()
        assert peer.join()[-2:] == ["STAT", "QUIT"]
        mailbox = report.steps[-1]
        assert mailbox.name == "mailbox"
        assert (mailbox.detail["messages"], mailbox.detail["octets"]) == counted


def test_quit_answered_with_err_kept_the_deletions(
    log_in: Callable[..., tuple[Peer, ConnectionReport, LineChannel]],
) -> None:
    _, _, channel = log_in([CAPA, b"+OK\r\n", b"+OK\r\n", b"-ERR cannot delete\r\n"])
    try:
        problem = failure(lambda: pop3.quit_session(channel)).problem
    finally:
        channel.sock.close()
    assert problem.code == "delete_not_committed"
