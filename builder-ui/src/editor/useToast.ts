/** One short message over the canvas at a time; a new one replaces the old and restarts its timer. */
import { useCallback, useEffect, useRef, useState } from "react";

const SHOW_MS = 3500;

export function useToast(): { toast: string | null; showToast: (msg: string) => void } {
  const [toast, setToast] = useState<string | null>(null);
  const timer = useRef<number | undefined>(undefined);
  const showToast = useCallback((msg: string): void => {
    setToast(msg);
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => setToast(null), SHOW_MS);
  }, []);
  useEffect(() => () => window.clearTimeout(timer.current), []);
  return { toast, showToast };
}
