/**
 * A small Prometheus registry: counters, gauges and histograms with labels, rendered in the
 * text exposition format. Domain modules record here without knowing about HTTP.
 */
type Labels = Record<string, string>;

interface Series {
  labels: Labels;
  value: number;
}

interface Metric {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram';
  series: Map<string, Series>;
  buckets?: number[];
  histograms?: Map<string, { labels: Labels; counts: number[]; sum: number; count: number }>;
  collect?: () => Array<{ labels: Labels; value: number }>;
}

const labelKey = (labels: Labels): string =>
  Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join(',');

const escapeLabel = (value: string): string => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

function renderLabels(labels: Labels, extra?: Labels): string {
  const all = { ...labels, ...extra };
  const keys = Object.keys(all);
  if (keys.length === 0) return '';
  return `{${keys.map((k) => `${k}="${escapeLabel(all[k] ?? '')}"`).join(',')}}`;
}

export function createMetrics() {
  const metrics = new Map<string, Metric>();

  function define(name: string, help: string, type: Metric['type'], extra: Partial<Metric> = {}): Metric {
    const existing = metrics.get(name);
    if (existing) return existing;
    const metric: Metric = { name, help, type, series: new Map(), ...extra };
    metrics.set(name, metric);
    return metric;
  }

  function add(metric: Metric, labels: Labels, delta: number, set = false): void {
    const key = labelKey(labels);
    const series = metric.series.get(key) ?? { labels, value: 0 };
    series.value = set ? delta : series.value + delta;
    metric.series.set(key, series);
  }

  return {
    /** `collect`: totals kept elsewhere (e.g. a client's own counts), read at each scrape. */
    counter(name: string, help: string, collect?: Metric['collect']) {
      const metric = define(name, help, 'counter', collect ? { collect } : {});
      return { inc: (labels: Labels = {}, by = 1) => add(metric, labels, by) };
    },
    gauge(name: string, help: string, collect?: Metric['collect']) {
      const metric = define(name, help, 'gauge', collect ? { collect } : {});
      return { set: (labels: Labels, value: number) => add(metric, labels, value, true) };
    },
    histogram(name: string, help: string, buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]) {
      const metric = define(name, help, 'histogram', { buckets, histograms: new Map() });
      return {
        observe(labels: Labels, value: number) {
          const key = labelKey(labels);
          const h = metric.histograms?.get(key) ?? { labels, counts: buckets.map(() => 0), sum: 0, count: 0 };
          buckets.forEach((b, i) => {
            if (value <= b) h.counts[i] = (h.counts[i] ?? 0) + 1;
          });
          h.sum += value;
          h.count += 1;
          metric.histograms?.set(key, h);
        },
      };
    },
    render(): string {
      const lines: string[] = [];
      for (const m of metrics.values()) {
        lines.push(`# HELP ${m.name} ${m.help}`, `# TYPE ${m.name} ${m.type}`);
        const series = m.collect ? m.collect() : [...m.series.values()];
        for (const s of series) lines.push(`${m.name}${renderLabels(s.labels)} ${s.value}`);
        for (const h of m.histograms?.values() ?? []) {
          m.buckets?.forEach((b, i) => lines.push(`${m.name}_bucket${renderLabels(h.labels, { le: String(b) })} ${h.counts[i]}`));
          lines.push(`${m.name}_bucket${renderLabels(h.labels, { le: '+Inf' })} ${h.count}`);
          lines.push(`${m.name}_sum${renderLabels(h.labels)} ${h.sum}`, `${m.name}_count${renderLabels(h.labels)} ${h.count}`);
        }
      }
      return lines.join('\n') + '\n';
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
