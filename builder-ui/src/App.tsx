import { Suspense, lazy, useCallback, useEffect, useState } from "react";
import { api, getToken, setToken, setUnauthorizedHandler } from "./api/client";
import type { User } from "../../engine/schema";
import { useI18n } from "./i18n/i18n";
import { Login } from "./pages/Login";
import { JourneyList } from "./pages/JourneyList";
import { EditorPage } from "./editor/EditorPage";
import { RunLog } from "./ops/RunLog";
import { Customers } from "./ops/Customers";
import { CustomerTrace } from "./ops/CustomerTrace";
import { Deliveries } from "./ops/Deliveries";
import { AuditLog } from "./ops/AuditLog";
import { href, navigate, useRoute } from "./ui/router";
import { Loading } from "./ui/common";
import { LangSwitch, Logo } from "./ui/chrome";
import { SessionContext, allowsFor } from "./session";

// The results page carries the chart library: loaded only when a results page is opened.
const ResultsPage = lazy(() => import("./results/ResultsPage"));
// The overview draws with the same chart library: loaded only when the overview is opened.
const OverviewPage = lazy(() => import("./overview/OverviewPage"));
import type { Session } from "./session";

export function App() {
  const { t } = useI18n();
  const [user, setUser] = useState<User | null>(null);
  const [checking, setChecking] = useState(() => getToken() !== null);
  const route = useRoute();

  useEffect(() => {
    setUnauthorizedHandler(() => {
      setToken(null);
      setUser(null);
    });
    if (getToken() === null) return;
    api.me().then(
      (u) => {
        setUser(u);
        setChecking(false);
      },
      () => {
        setToken(null);
        setChecking(false);
      },
    );
  }, []);

  const signOut = useCallback(() => {
    api.logout().catch(() => undefined);
    setToken(null);
    setUser(null);
  }, []);

  if (checking) return <Loading />;
  if (!user)
    return (
      <Login
        onSignedIn={(u) => {
          setUser(u);
          // The overview is the first page after sign-in, unless the address named another page.
          if (route.name === "journeys") navigate({ name: "overview" });
        }}
      />
    );

  const session: Session = { user, allows: allowsFor(user.role), signOut };
  const section =
    route.name === "runs" ||
    route.name === "deliveries" ||
    route.name === "audit" ||
    route.name === "overview"
      ? route.name
      : route.name.startsWith("customer")
        ? "customers"
        : "journeys";
  const fullBleed = route.name === "editor" || route.name === "live";

  return (
    <SessionContext.Provider value={session}>
      <div className={fullBleed ? "app app-full" : "app"}>
        <header className="topbar">
          <a className="brand" href="#/">
            <Logo />
            <span>Rekindle</span>
          </a>
          <nav className="topnav">
            <a
              className={section === "overview" ? "active" : ""}
              href={href({ name: "overview" })}
              data-testid="nav-overview"
            >
              {t("nav.overview")}
            </a>
            <a
              className={section === "journeys" ? "active" : ""}
              href={href({ name: "journeys" })}
              data-testid="nav-journeys"
            >
              {t("nav.journeys")}
            </a>
            <a
              className={section === "runs" ? "active" : ""}
              href={href({ name: "runs", query: new URLSearchParams() })}
            >
              {t("nav.runLog")}
            </a>
            <a className={section === "customers" ? "active" : ""} href={href({ name: "customers" })}>
              {t("nav.customers")}
            </a>
            <a
              className={section === "deliveries" ? "active" : ""}
              href={href({ name: "deliveries", query: new URLSearchParams() })}
              data-testid="nav-deliveries"
            >
              {t("nav.deliveries")}
            </a>
            {session.allows("audit") && (
              <a
                className={section === "audit" ? "active" : ""}
                href={href({ name: "audit" })}
                data-testid="nav-audit"
              >
                {t("nav.audit")}
              </a>
            )}
          </nav>
          <div className="topbar-right">
            <LangSwitch />
            <div className="user-chip" title={user.email}>
              <span className="avatar">{(user.name || user.email).slice(0, 1).toUpperCase()}</span>
              <span className="user-name">{user.name || user.email}</span>
              <span className="role-tag">{t(`role.${user.role}`)}</span>
            </div>
            <button className="btn btn-ghost btn-sm" onClick={signOut}>
              {t("nav.signOut")}
            </button>
          </div>
        </header>
        <main className="main">
          {route.name === "journeys" && <JourneyList />}
          {route.name === "editor" && <EditorPage key={route.id} id={route.id} mode="edit" />}
          {route.name === "live" && <EditorPage key={`${route.id}-live`} id={route.id} mode="live" />}
          {route.name === "results" && (
            <Suspense fallback={<Loading />}>
              <ResultsPage key={route.id} id={route.id} />
            </Suspense>
          )}
          {route.name === "runs" && <RunLog query={route.query} />}
          {route.name === "customers" && <Customers key={route.query?.toString()} query={route.query} />}
          {route.name === "overview" && (
            <Suspense fallback={<Loading />}>
              <OverviewPage />
            </Suspense>
          )}
          {route.name === "customer" && <CustomerTrace key={route.id} id={route.id} />}
          {route.name === "deliveries" && <Deliveries query={route.query} />}
          {route.name === "audit" && <AuditLog />}
        </main>
      </div>
    </SessionContext.Provider>
  );
}
