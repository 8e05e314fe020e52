import { overviewReport } from "../customer/overview/report";
import type { OverviewQuery } from "../customer/overview/report";
import { churnResponse } from "../customer/signal-latency";
import type { ChurnResponseQuery } from "../customer/signal-latency";
import { surveyResponseRate } from "../customer/survey";
import type { OutboxStatus, StepQuery, Store } from "../store/types";
import { foldRunTotals, journeyStats } from "./node-stats";
import { storedEventsForReplay } from "./replay-input";
import { customerTrace, runTrace } from "./trace";

/**
 * The read side: every view of runs, the run log, the outbox and summaries that the server, the builder
 * (through the API) and the tools show, computed one way each over the `Store` interface.
 */
export class Queries {
  constructor(private readonly store: Store) {}

  // journeys
  listJourneys() {
    return this.store.listJourneys();
  }
  getJourney(id: string) {
    return this.store.getJourney(id);
  }
  getVersion(id: number) {
    return this.store.getVersion(id);
  }
  listVersions(journeyId: string) {
    return this.store.listVersions(journeyId);
  }
  /** A journey's runs by how they stand (the journey list's counts). */
  async runTotals(journeyId: string) {
    return foldRunTotals(await this.store.countRuns(journeyId));
  }
  /** Per-node tallies (the builder's live counts) and run totals of a journey. */
  journeyStats(journeyId: string) {
    return journeyStats(this.store, journeyId);
  }

  // runs and the run log
  runLog(q: StepQuery) {
    return this.store.listSteps(q);
  }
  getRun(id: number) {
    return this.store.getRun(id);
  }
  runTrace(runId: number) {
    return runTrace(this.store, runId);
  }
  customerTrace(customerId: string) {
    return customerTrace(this.store, customerId);
  }
  runsByStatus() {
    return this.store.countRunsByStatus();
  }
  lastStepId() {
    return this.store.lastStepId();
  }

  // outbox
  outbox(q: {
    status?: OutboxStatus;
    customerId?: string;
    journeyId?: string;
    channel?: string;
    after?: number;
    limit?: number;
  }) {
    return this.store.listOutbox(q);
  }
  delivery(key: string) {
    return this.store.getOutbox(key);
  }
  deliveriesByStatus() {
    return this.store.countOutboxByStatus();
  }

  // customers and events
  async customer(id: string) {
    return (await this.store.getCustomers([id])).get(id);
  }
  searchCustomers(q: { q?: string | undefined; after?: string | undefined; limit: number }) {
    return this.store.searchCustomers(q);
  }
  countCustomers() {
    return this.store.countCustomers();
  }
  events(customerId: string, limit: number) {
    return this.store.listEvents(customerId, limit);
  }
  storedEventsForReplay(q: { from: number; to: number; limitCustomers: number; maxEvents: number }) {
    return storedEventsForReplay(this.store, q);
  }

  // summaries
  /** The lifecycle overview: daily snapshots over the period and the lifecycle KPIs. */
  overview(q: OverviewQuery) {
    return overviewReport(this.store, q);
  }
  churnResponse(q: ChurnResponseQuery = {}) {
    return churnResponse(this.store, q);
  }
  surveyResponseRate(journeyId: string) {
    return surveyResponseRate(this.store, journeyId);
  }
  /** Throws when the store cannot answer. */
  ping() {
    return this.store.ping();
  }
}
