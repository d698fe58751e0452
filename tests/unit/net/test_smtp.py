"""The SMTP conversation (``net/smtp.py``) against a scripted peer: EHLO,
which AUTH it sends and how, the test message with and without PIPELINING,
and what is never sent. No mail server."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable

import pytest

from mailaccounts.model.secret import Secret
from mailaccounts.net import smtp
from mailaccounts.net.report import ConnectionReport, NetError, StepStatus
from mailaccounts.net.sasl import Credential
from mailaccounts.net.steps import Recorder
from mailaccounts.net.transport import CancelToken, StepClock
from tests.unit.net.conftest import MESSAGE, Data, Peer

GREETING = b"220 mail.test ESMTP\r\n"
EHLO = "ehlo [127.0.0.1]"


def ehlo(*extensions: str) -> bytes:
    lines = ["mail.test", *extensions]
    return b"".join(
        f"250{' ' if n == len(lines) - 1 else '-'}{line}\r\n".encode()
        for n, line in enumerate(lines)
    )


def b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


Talk = Callable[..., tuple[Peer, ConnectionReport]]


@pytest.fixture
def talk(peers: list[Peer]) -> Talk:
    """Run the connection test against a peer that greets and then answers
    *replies* in turn; the peer and the report (NetError when it failed)."""

    def run(
        replies: list[bytes | Data],
        *,
        method: str | None = "login",
        username: str = "info",
        password: Credential = None,
        send: bool = False,
        sender: str = "info@mustermann.de",
        security: str = "none",
    ) -> tuple[Peer, ConnectionReport]:
        peer = Peer(GREETING, replies)
        peers.append(peer)
        target = smtp.SmtpTarget(
            host="127.0.0.1",
            port=peer.port,
            security=security,
            server_name="",
            auth_method=method,
            username=username,
            sender=sender,
            pinned_sha256=None,
        )
        report, clock = ConnectionReport(), StepClock(5)
        recorder = Recorder("smtp", report, None, clock)
        secret = Secret("smtp-geheim") if password is None else password
        smtp.run(target, username, secret, recorder, clock, CancelToken(), send)
        return peer, report

    return run


def failure(call: Callable[[], object]) -> NetError:
    with pytest.raises(NetError) as info:
        call()
    return info.value


def test_auth_login_sends_user_name_and_password_as_utf8(talk: Talk) -> None:
    replies: list[bytes | Data] = [
        ehlo("AUTH PLAIN LOGIN", "8BITMIME"),
        b"334 VXNlcm5hbWU6\r\n",
        b"334 UGFzc3dvcmQ6\r\n",
        b"235 2.7.0 ok\r\n",
        b"221 bye\r\n",
    ]
    peer, report = talk(replies, username="müller", password=Secret("pässwort"))
    assert peer.join() == [EHLO, "AUTH LOGIN", b64("müller"), b64("pässwort"), "quit"]
    assert [(s.name, s.status) for s in report.steps] == [
        (name, StepStatus.OK) for name in ("connect", "ehlo", "auth", "quit")
    ]
    assert report.steps[1].detail["extensions"] == ["8bitmime", "auth"]
    assert report.steps[2].detail == {"offered": ["PLAIN", "LOGIN"], "mechanism": "LOGIN"}


def test_cram_md5_answers_the_challenge(talk: Talk) -> None:
    challenge = b"<1896.697170952@mail.test>"
    replies: list[bytes | Data] = [
        ehlo("AUTH CRAM-MD5"),
        b"334 " + base64.b64encode(challenge) + b"\r\n",
        b"235 ok\r\n",
        b"221 bye\r\n",
    ]
    peer, _ = talk(replies, method="cram-md5")
    digest = hmac.new(b"smtp-geheim", challenge, hashlib.md5).hexdigest()
    assert peer.join() == [EHLO, "AUTH CRAM-MD5", b64(f"info {digest}"), "quit"]


def test_a_challenge_that_is_not_base64_is_a_protocol_error(talk: Talk) -> None:
    replies: list[bytes | Data] = [ehlo("AUTH CRAM-MD5"), b"334 !!not base64!!\r\n"]
    problem = failure(lambda: talk(replies, method="cram-md5")).problem
    assert problem.code == "protocol_error" and "not base64" in problem.params["text"]


def test_a_mechanism_not_offered_is_never_tried_nor_another_one(
    talk: Talk, peers: list[Peer]
) -> None:
    problem = failure(lambda: talk([ehlo("AUTH PLAIN")], method="cram-md5")).problem
    assert (problem.code, problem.params) == (
        "mechanism_not_offered",
        {"mechanism": "CRAM-MD5", "offered": "PLAIN"},
    )
    assert peers[0].join() == [EHLO]


def test_no_auth_offered_at_all_is_shown_as_a_dash(talk: Talk, peers: list[Peer]) -> None:
    problem = failure(lambda: talk([ehlo("8BITMIME")])).problem
    assert problem.params == {"mechanism": "LOGIN", "offered": "—"}
    assert peers[0].join() == [EHLO]


def test_starttls_not_offered_sends_no_credential(talk: Talk, peers: list[Peer]) -> None:
    problem = failure(lambda: talk([ehlo("AUTH LOGIN")], security="starttls")).problem
    assert problem.code == "starttls_not_offered"
    assert peers[0].join() == [EHLO]


def test_starttls_refused_is_its_own_problem(talk: Talk, peers: list[Peer]) -> None:
    replies: list[bytes | Data] = [ehlo("STARTTLS", "AUTH LOGIN"), b"454 4.7.0 not now\r\n"]
    problem = failure(lambda: talk(replies, security="starttls")).problem
    assert problem.code == "starttls_refused" and problem.params["text"] == "454 4.7.0 not now"
    assert peers[0].join() == [EHLO, "STARTTLS"]


def test_a_refused_password_is_rejected_and_its_echo_hidden(talk: Talk) -> None:
    replies: list[bytes | Data] = [
        ehlo("AUTH LOGIN"),
        b"334 VXNlcm5hbWU6\r\n",
        b"334 UGFzc3dvcmQ6\r\n",
        b"535 5.7.8 wrong: smtp-geheim " + b64("smtp-geheim").encode() + b"\r\n",
    ]
    problem = failure(lambda: talk(replies)).problem
    assert problem.code == "auth_rejected"
    assert problem.params["text"] == "535 5.7.8 wrong: ******** ********"


def test_a_provider_that_takes_no_passwords_says_so(talk: Talk) -> None:
    refusal = b"535 5.7.139 Authentication unsuccessful, basic authentication is disabled\r\n"
    replies: list[bytes | Data] = [ehlo("AUTH LOGIN"), b"334 x\r\n", b"334 y\r\n", refusal]
    problem = failure(lambda: talk(replies)).problem
    assert problem.code == "provider_password_refused"
    assert problem.params["oauth2"] == "microsoft"


@pytest.mark.parametrize(
    ("username", "password", "field"),
    [
        ("info\r\nRCPT TO:<x@y.de>", Secret("pw"), "smtp.auth.username"),
        ("info", Secret("pw\r\nRCPT TO:<x@y.de>"), "smtp.auth.password"),
    ],
)
def test_a_line_break_in_a_credential_is_never_sent(
    talk: Talk, peers: list[Peer], username: str, password: Secret, field: str
) -> None:
    problem = failure(lambda: talk([ehlo("AUTH LOGIN")], username=username, password=password))
    assert (problem.problem.code, problem.problem.params) == ("unsafe_value", {"field": field})
    assert peers[0].join() == [EHLO]


class Tokens:
    def __init__(self) -> None:
        self.asked: list[bool] = []

    def token(self, fresh: bool = False) -> Secret:
        self.asked.append(fresh)
        return Secret(f"token-{len(self.asked)}")


def test_xoauth2_answers_the_error_challenge_and_tries_a_fresh_token_once(talk: Talk) -> None:
    tokens = Tokens()
    replies: list[bytes | Data] = [
        ehlo("AUTH XOAUTH2"),
        b"334 " + base64.b64encode(b'{"status":"401"}') + b"\r\n",
        b"535 5.7.8 invalid\r\n",
        b"235 ok\r\n",
        b"221 bye\r\n",
    ]
    peer, _ = talk(replies, method="oauth2", password=tokens)
    initial = [b64(f"user=info\x01auth=Bearer token-{n}\x01\x01") for n in (1, 2)]
    assert peer.join() == [
        EHLO,
        f"AUTH XOAUTH2 {initial[0]}",
        "",
        f"AUTH XOAUTH2 {initial[1]}",
        "quit",
    ]
    assert tokens.asked == [False, True]


def test_the_test_message_is_pipelined_where_offered(talk: Talk) -> None:
    replies: list[bytes | Data] = [
        ehlo("PIPELINING", "SIZE 1000000"),
        b"250 sender ok\r\n",
        b"250 recipient ok\r\n",
        b"354 go ahead\r\n",
        Data(b"250 queued\r\n"),
        b"221 bye\r\n",
    ]
    peer, report = talk(replies, method=None, send=True)
    sent = peer.join()
    assert sent[:3] == [
        EHLO,
        "MAIL FROM:<info@mustermann.de> SIZE=" + sent[1].split("=")[-1],
        "RCPT TO:<info@mustermann.de>",
    ]
    assert sent[3:] == ["DATA", MESSAGE, "quit"]
    assert "Subject: mailaccounts: Testnachricht / test message" in peer.message
    assert report.steps[-2].detail == {"pipelined": True, "to": "info@mustermann.de"}


def test_without_pipelining_each_command_waits_for_its_reply(talk: Talk) -> None:
    replies: list[bytes | Data] = [
        ehlo("8BITMIME"),
        b"250 ok\r\n",
        b"250 ok\r\n",
        b"354 go ahead\r\n",
        Data(b"250 queued\r\n"),
        b"221 bye\r\n",
    ]
    peer, report = talk(replies, method=None, send=True)
    assert peer.join() == [
        EHLO,
        "mail FROM:<info@mustermann.de>",
        "rcpt TO:<info@mustermann.de>",
        "data",
        MESSAGE,
        "quit",
    ]
    assert report.steps[-2].detail["pipelined"] is False


def test_a_recipient_refused_in_a_pipeline_ends_the_data_it_began(
    talk: Talk, peers: list[Peer]
) -> None:
    replies: list[bytes | Data] = [
        ehlo("PIPELINING"),
        b"250 ok\r\n",
        b"550 5.1.1 no such user\r\n",
        b"354 go ahead\r\n",
        Data(b"554 no valid recipients\r\n"),
    ]
    problem = failure(lambda: talk(replies, method=None, send=True)).problem
    assert problem.code == "send_rejected" and problem.params["text"].startswith("550 5.1.1")
    assert peers[0].join()[-2:] == ["DATA", MESSAGE]
    assert peers[0].message == []  # an empty message, never the test message


def test_an_umlaut_domain_travels_in_ascii_and_an_umlaut_local_part_needs_smtputf8(
    talk: Talk, peers: list[Peer]
) -> None:
    replies: list[bytes | Data] = [
        ehlo("PIPELINING"),
        b"250 ok\r\n",
        b"250 ok\r\n",
        b"354 go\r\n",
        Data(b"250 queued\r\n"),
        b"221 bye\r\n",
    ]
    peer, _ = talk(replies, method=None, send=True, sender="info@müller.de")
    assert peer.join()[1:3] == [
        "MAIL FROM:<info@xn--mller-kva.de>",
        "RCPT TO:<info@xn--mller-kva.de>",
    ]
    problem = failure(
        lambda: talk([ehlo("PIPELINING")], method=None, send=True, sender="jürgen@x.de")
    )
    assert problem.problem.code == "smtputf8_not_offered"
    assert peers[1].join() == [EHLO]
