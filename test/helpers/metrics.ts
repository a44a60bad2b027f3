/** The METRICS_TOKEN testConfig sets, so that tests can read /metrics as Prometheus would. */
export const testMetricsToken = "test-metrics-token-0123456789";

/** /metrics of a running app, with the token. */
export async function scrapeMetrics(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/metrics`, { headers: { authorization: `Bearer ${testMetricsToken}` } });
  if (!response.ok) throw new Error(`/metrics answered ${String(response.status)}`);
  return response.text();
}
