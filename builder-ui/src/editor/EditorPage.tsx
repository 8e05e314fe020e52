/** The journey editor's route: loads the journey, its live version and the catalog, then opens the editor. */
import { ReactFlowProvider } from "@xyflow/react";
import { api } from "../api/client";
import { useI18n } from "../i18n/i18n";
import { ErrorState, Loading, useAsync } from "../ui/common";
import { loadCatalog } from "./catalog";
import { Editor } from "./Editor";

export function EditorPage({ id, mode }: { id: string; mode: "edit" | "live" }) {
  const { t } = useI18n();
  const journey = useAsync(() => api.journey(id), [id]);
  const catalog = useAsync(loadCatalog, []);
  const live = useAsync(async () => {
    if (mode !== "live" || !journey.data?.liveVersion) return null;
    return api.version(id, journey.data.liveVersion);
  }, [mode, id, journey.data?.liveVersion]);
  if (journey.error || catalog.error) {
    return (
      <div className="page">
        <ErrorState
          error={journey.error ?? catalog.error}
          onRetry={() => (journey.error ? journey.reload() : catalog.reload())}
        />
      </div>
    );
  }
  if (!journey.data || !catalog.data || (mode === "live" && live.loading))
    return <Loading label={t("editor.loading")} />;
  const doc = mode === "live" && live.data ? live.data.doc : journey.data.draft;
  return (
    <ReactFlowProvider>
      <Editor
        journey={journey.data}
        doc={doc}
        catalog={catalog.data}
        mode={mode}
        reloadJourney={journey.reload}
      />
    </ReactFlowProvider>
  );
}
