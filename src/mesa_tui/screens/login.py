"""The login screen of `mesa --login`: a password account's login, and the first
password set with the one-time code an administrator issued.

Enter moves from field to field and, on the last, logs in; Ctrl+E switches to
setting the password with the enrolment code. The check runs in a worker (an
argon2 hash takes a moment); a refusal shows under the fields and empties the
password, and the screen dismisses with the agent once the login goes through.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Input, Label, Static

from mesa_tui.domain.errors import DeskError
from mesa_tui.domain.passwords import MIN_LENGTH
from mesa_tui.domain.tickets import ActorInfo
from mesa_tui.screens.loading import UNEXPECTED, Loader
from mesa_tui.services.identity import Identity

_ENROL_FIELDS = ("#login-code", "#login-new", "#login-confirm")


class LoginScreen(Screen[ActorInfo]):
    """Dismisses with the agent who logged in."""

    BINDINGS = [
        Binding(
            "ctrl+e",
            "toggle_enrol",
            "Activar con código",
            id="login.enrol",
            tooltip="Definir su contraseña con el código de activación",
            priority=True,  # over the text field's own Ctrl+E (end of line)
        ),
        Binding("ctrl+q", "app.quit", "Salir", id="login.quit", tooltip="Salir sin ingresar"),
    ]

    def __init__(self, identity: Identity, where: str, notice: str = "") -> None:
        """`notice`: why the login shows again (a session logged out for inactivity)."""
        super().__init__()
        self.identity = identity
        self.where = where
        self.notice = notice
        self.enrolling = False
        self._check: Loader[ActorInfo] = Loader(self, "login", self._refused, unexpected=UNEXPECTED)

    def compose(self) -> ComposeResult:
        with Center(), Vertical(id="login-box"):
            yield Static("Mesa de ayuda TIC · Ingreso", id="login-title")
            yield Label("Usuario")
            yield Input(id="login-user", max_length=60)
            yield Label("Contraseña", id="login-password-label")
            yield Input(id="login-password", password=True, max_length=128)
            yield Label("Código de activación", classes="enrol")
            yield Input(id="login-code", classes="enrol", max_length=20)
            yield Label(f"Nueva contraseña (al menos {MIN_LENGTH} caracteres)", classes="enrol")
            yield Input(id="login-new", classes="enrol", password=True, max_length=128)
            yield Label("Confirme la nueva contraseña", classes="enrol")
            yield Input(id="login-confirm", classes="enrol", password=True, max_length=128)
            yield Static("", id="login-message")
            yield Static("", id="login-keys")

    def on_mount(self) -> None:
        self._show_mode()
        self._say(self.notice)
        self.query_one("#login-user", Input).focus()

    def action_toggle_enrol(self) -> None:
        self.enrolling = not self.enrolling
        self._say("")
        self._show_mode()

    def _show_mode(self) -> None:
        for node in self.query(".enrol"):
            node.display = self.enrolling
        for selector in ("#login-password-label", "#login-password"):
            self.query_one(selector).display = not self.enrolling
        keys = (
            "Enter: guardar contraseña e ingresar · Ctrl+E: volver"
            if self.enrolling
            else ("Enter: ingresar · Ctrl+E: activar su cuenta con el código del administrador")
        )
        self.query_one("#login-keys", Static).update(Text(f"{keys} · Ctrl+Q: salir", style="dim"))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        order = ["#login-user", *(_ENROL_FIELDS if self.enrolling else ("#login-password",))]
        current = f"#{event.input.id}"
        if current in order and current != order[-1]:
            self.query_one(order[order.index(current) + 1], Input).focus()
            return
        self._submit()

    def _submit(self) -> None:
        user = self._value("#login-user")
        if not user.strip():
            self._say("Escriba su usuario.")
            self.query_one("#login-user", Input).focus()
            return
        identity, where = self.identity, self.where
        if self.enrolling:
            code, new = self._value("#login-code"), self._value("#login-new")
            if new != self._value("#login-confirm"):
                self._say("Las dos contraseñas nuevas no coinciden.")
                return
            self._say("Guardando…")
            self._check.load(lambda: identity.enrol_password(user, code, new, where), self._logged_in)
        else:
            password = self._value("#login-password")
            self._say("Verificando…")
            self._check.load(lambda: identity.password_login(user, password, where), self._logged_in)

    def _logged_in(self, actor: ActorInfo) -> None:
        self.dismiss(actor)

    def _refused(self, error: DeskError) -> None:
        self._say(error.message)
        for selector in ("#login-password", "#login-new", "#login-confirm"):
            self.query_one(selector, Input).value = ""
        self.query_one("#login-new" if self.enrolling else "#login-password", Input).focus()

    def _value(self, selector: str) -> str:
        return self.query_one(selector, Input).value

    def _say(self, text: str) -> None:
        self.query_one("#login-message", Static).update(Text(text))
