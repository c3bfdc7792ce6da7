import { gateFailure, METRIC_ATTRIBUTE_PREFIX, METRIC_NAME_PATTERN, metricBelowMinimum, metricNotReported, SolutionVersionProperty } from '../../../lib/kinds/solution-version/contract';
import { quote, WaiterError } from '../../engine/handler-error';

/** A solution version's quality gate, and the metrics the stack reads as attributes. */
export interface QualityGate {
  /** Metric name to the least value that lets the deployment go on. */
  readonly minimumMetrics: Readonly<Record<string, number>>;
  readonly metricNames: readonly string[];
}

/** Reads the gate from the resource's properties; CloudFormation delivers the minimums as strings. */
export function readQualityGate(properties: Record<string, unknown>): QualityGate {
  const minimums = properties[SolutionVersionProperty.MINIMUM_METRICS] ?? {};
  const names = properties[SolutionVersionProperty.METRIC_NAMES] ?? [];
  const expected = 'an object of metric names (letters, digits, _ . and -, at most 256 characters) to numbers';
  // `?? {}` above: never null here.
  if (typeof minimums !== 'object' || Array.isArray(minimums)) {
    throw new WaiterError(`The ${SolutionVersionProperty.MINIMUM_METRICS} property must be ${expected}; got ${quote(minimums)}.`);
  }
  const minimumMetrics: Record<string, number> = {};
  for (const [name, value] of Object.entries(minimums as object)) {
    const minimum = typeof value === 'number' || (typeof value === 'string' && value.trim() !== '') ? Number(value) : NaN;
    if (!METRIC_NAME_PATTERN.test(name) || !Number.isFinite(minimum)) {
      throw new WaiterError(
        `The ${SolutionVersionProperty.MINIMUM_METRICS} property must be ${expected}; got ${quote(value)} for ${quote(name)}.`,
      );
    }
    minimumMetrics[name] = minimum;
  }
  if (!Array.isArray(names) || !names.every((name) => typeof name === 'string' && METRIC_NAME_PATTERN.test(name))) {
    throw new WaiterError(`The ${SolutionVersionProperty.METRIC_NAMES} property must be a list of metric names; got ${quote(names)}.`);
  }
  return { minimumMetrics, metricNames: names as string[] };
}

/**
 * Why a trained version must not be used: each gated metric below its minimum or not reported at
 * all. Undefined when it passes (or there is no gate).
 */
export function gateShortfall(versionArn: string, metrics: Readonly<Record<string, number>>, gate: QualityGate): string | undefined {
  const failures = Object.entries(gate.minimumMetrics).flatMap(([name, minimum]) => {
    const value = metrics[name];
    if (value === undefined) {
      return [metricNotReported(name, minimum)];
    }
    return value < minimum ? [metricBelowMinimum(name, String(value), minimum)] : [];
  });
  if (failures.length === 0) {
    return undefined;
  }
  const reported = Object.keys(metrics);
  return (
    `${gateFailure(versionArn, failures.join('; '))} Nothing that depends on ` +
    'it is deployed. Improve the training data or the solution\'s configuration and deploy again (the next deployment ' +
    'trains a new version), or change minimumMetrics. ' +
    `Its metrics: ${reported.length > 0 ? reported.map((name) => `${name}=${metrics[name]}`).join(', ') : '(none reported)'}`
  );
}

/** `Metric.<name>` for every metric reported, gated or read; empty for one Personalize did not report. */
export function metricAttributes(metrics: Readonly<Record<string, number>>, gate: QualityGate): Record<string, string> {
  const names = new Set([...Object.keys(gate.minimumMetrics), ...gate.metricNames, ...Object.keys(metrics)]);
  return Object.fromEntries([...names].map((name) => [`${METRIC_ATTRIBUTE_PREFIX}${name}`, metrics[name] === undefined ? '' : String(metrics[name])]));
}
