/** Each split's arms with their conversion rates, from the journey's results report, for the canvas. */
import { useEffect, useState } from "react";
import { api } from "../api/client";

export interface ArmRate {
  arm: string;
  rate: number;
  members: number;
}
export type ArmRates = Readonly<Record<string, readonly ArmRate[]>>;

export function useArmRates(journeyId: string, published: boolean): ArmRates | null {
  const [rates, setRates] = useState<ArmRates | null>(null);
  useEffect(() => {
    if (!published) return;
    let current = true;
    api.results(journeyId).then(
      (r) => {
        if (!current) return;
        const out: Record<string, ArmRate[]> = {};
        for (const e of r.experiments)
          out[e.nodeId] = e.arms.map((a) => ({ arm: a.id, rate: a.rate, members: a.members }));
        setRates(out);
      },
      // A server without results (or a viewer without access) simply shows no rates on the canvas.
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [journeyId, published]);
  return rates;
}
