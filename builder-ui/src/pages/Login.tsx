import { useState } from "react";
import type { FormEvent } from "react";
import { api, setToken } from "../api/client";
import type { User } from "../../../engine/schema";
import { useI18n } from "../i18n/i18n";
import { LangSwitch, Logo } from "../ui/chrome";
import { Spinner, errorText } from "../ui/common";

export function Login({ onSignedIn }: { onSignedIn: (u: User) => void }) {
  const { t } = useI18n();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    api.login(email.trim(), password).then(
      (r) => {
        setToken(r.token);
        onSignedIn(r.user);
      },
      (err: unknown) => {
        setBusy(false);
        setError((err as { status?: number }).status === 401 ? t("login.invalid") : errorText(err, t));
      },
    );
  };

  return (
    <div className="login">
      <div className="login-lang">
        <LangSwitch />
      </div>
      <div className="login-aside">
        <div className="login-brand">
          <Logo size={36} />
          <span>Rekindle</span>
        </div>
        <h1>{t("login.tagline")}</h1>
        <ul className="login-points">
          <li>{t("login.point1")}</li>
          <li>{t("login.point2")}</li>
          <li>{t("login.point3")}</li>
        </ul>
      </div>
      <div className="login-panel">
        <form className="login-card" onSubmit={submit} data-testid="login-form">
          <h2>{t("login.title")}</h2>
          <p className="muted">{t("login.subtitle")}</p>
          <label className="field">
            <span>{t("login.email")}</span>
            <input
              type="email"
              name="email"
              autoComplete="username"
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              placeholder={t("login.emailPlaceholder")}
            />
          </label>
          <label className="field">
            <span>{t("login.password")}</span>
            <input
              type="password"
              name="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </label>
          {error && (
            <div className="form-error" role="alert">
              {error}
            </div>
          )}
          <button className="btn btn-primary btn-block" type="submit" disabled={busy}>
            {busy && <Spinner small />}
            {t("login.submit")}
          </button>
        </form>
      </div>
    </div>
  );
}
