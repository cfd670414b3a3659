import type { Extension, Hocuspocus } from '@hocuspocus/server';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Prometheus metrics of the collaboration server (served at /metrics). Gauges read Hocuspocus' own counts at
 * scrape time; `docbridge_updates_total` gives updates/s through `rate()`.
 */
export function createMetrics() {
  const registry = new Registry();
  // The event-loop delay histogram samples with a timer on the event loop: at prom-client's default 10 ms that
  // timer woke the event loop 100 times a second, busy or idle (about 8 ms of CPU a second on the bench machine,
  // as much as a dozen updates cost). Every 100 ms still gives hundreds of samples per scrape interval.
  collectDefaultMetrics({
    register: registry,
    prefix: 'docbridge_process_',
    eventLoopMonitoringPrecision: 100,
  });
  let instance: Hocuspocus | null = null;

  new Gauge({
    name: 'docbridge_connections',
    help: 'Open document connections (WebSocket sessions and direct connections).',
    registers: [registry],
    collect() {
      this.set(instance?.getConnectionsCount() ?? 0);
    },
  });
  new Gauge({
    name: 'docbridge_documents_loaded',
    help: 'Documents currently held in memory.',
    registers: [registry],
    collect() {
      this.set(instance?.getDocumentsCount() ?? 0);
    },
  });
  const updates = new Counter({
    name: 'docbridge_updates_total',
    help: 'Document updates applied (all origins); rate() gives updates per second.',
    registers: [registry],
  });
  const persistSeconds = new Histogram({
    name: 'docbridge_persist_latency_seconds',
    help: 'Time from an update being applied to its commit in the update log.',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });

  const extension: Extension = {
    extensionName: 'metrics',
    async onConfigure({ instance: configured }) {
      instance = configured;
    },
    async onChange() {
      updates.inc();
    },
  };

  return {
    registry,
    extension,
    observePersisted(latenciesMs: number[]) {
      for (const ms of latenciesMs) persistSeconds.observe(ms / 1000);
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
