/** Find a customer to trace. */
import { useState } from "react";
import { api } from "../api/client";
import { useI18n } from "../i18n/i18n";
import { isMessageKey } from "../i18n/translate";
import type { MessageKey } from "../i18n/dict";
import { Empty, ErrorState, Loading, relativeTime, useAsync } from "../ui/common";
import { navigate } from "../ui/router";

export function Customers() {
  const { t, lang } = useI18n();
  const [q, setQ] = useState("");
  const [applied, setApplied] = useState("");
  const list = useAsync(() => api.customers({ q: applied, limit: 50 }), [applied]);
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>{t("customers.title")}</h1>
          <p className="muted">{t("customers.subtitle")}</p>
        </div>
      </div>
      <form
        className="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied(q.trim());
        }}
      >
        <input
          className="search search-wide"
          type="search"
          placeholder={t("customers.search")}
          value={q}
          onChange={(e) => setQ(e.target.value)}
          data-testid="customer-search"
        />
        <button className="btn" type="submit">
          {t("customers.find")}
        </button>
      </form>
      <div className="card card-flush">
        {list.loading ? (
          <Loading />
        ) : list.error ? (
          <ErrorState error={list.error} onRetry={list.reload} />
        ) : !list.data?.items.length ? (
          <Empty title={t("customers.empty")} text={t("customers.emptyText")} />
        ) : (
          <table className="table" data-testid="customer-table">
            <thead>
              <tr>
                <th>{t("customers.colId")}</th>
                <th>{t("customers.colName")}</th>
                <th>{t("customers.colEmail")}</th>
                <th>{t("customers.colStage")}</th>
                <th>{t("customers.colUpdated")}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((c) => (
                <tr key={c.id} className="clickable" onClick={() => navigate({ name: "customer", id: c.id })}>
                  <td className="mono">{c.id}</td>
                  <td>{typeof c.traits.name === "string" ? c.traits.name : "—"}</td>
                  <td>{typeof c.traits.email === "string" ? c.traits.email : "—"}</td>
                  <td>
                    {c.stage ? (
                      <span className={`tag tag-stage-${c.stage}`}>
                        {isMessageKey(`stage.${c.stage}`) ? t(`stage.${c.stage}` as MessageKey) : c.stage}
                      </span>
                    ) : (
                      "—"
                    )}
                  </td>
                  <td>{relativeTime(c.updatedAt, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </div>
  );
}
