import { formatDuration } from '../lib/engine/wait-timing';
import type { Deployment, SentRequest } from './local-deployment';
import { iamSummary } from './iam/iam-summary';
import type { LocalIam } from './iam/local-iam';

/** A step of a stack, as the demo names it, and whether a resource is its last (a relayed wait's last link). */
export interface StepOfResource {
  readonly step: string;
  readonly isLast: boolean;
}

/**
 * Prints a stack operation as CloudFormation's events would show it, for steps that run side by
 * side: a line when a step starts, when it ends or fails, when CloudFormation cancels it, when the
 * rollback undoes it, and when a cancelled wait answers at last (which CloudFormation ignores).
 */
export class StackProgress {
  /** Prints nothing while true. */
  muted = false;
  private startedAt = Date.now();
  private readonly stepStarts = new Map<string, number>();
  /** The rollback's requests said so far, by step and type: a relayed wait's links are one line. */
  private readonly rollbackSaid = new Set<string>();

  /** @param madeUp whether a physical id is one CloudFormation made up (cloudformation-rules.ts) */
  constructor(
    private readonly say: (line?: string) => void,
    private readonly stepOf: (logicalId: string) => StepOfResource,
    private readonly describe: (data: Record<string, string>) => string,
    private readonly madeUp: (physicalId: string) => boolean,
    private readonly iam?: LocalIam,
  ) {}

  readonly hooks = {
    onRequest: (request: SentRequest) => {
      const { step } = this.stepOf(request.logicalId);
      if (request.phase === 'cleanup') {
        return;
      }
      if (request.phase === 'rollback') {
        const key = `${step}/${request.requestType}`;
        if (this.rollbackSaid.has(key)) {
          return;
        }
        this.rollbackSaid.add(key);
        const what =
          request.requestType === 'Update'
            ? 'a reverse Update (the old properties again, the same physical id)'
            : `a Delete${this.madeUp(request.physicalResourceId ?? '') ? ' with a physical id CloudFormation made up (the create was cancelled)' : ''}`;
        this.line('↺', `${step}: the rollback sends ${what}`);
        return;
      }
      if (!this.stepStarts.has(step)) {
        this.stepStarts.set(step, Date.now());
        this.line('▸', `${step}: ${request.requestType.toUpperCase()}_IN_PROGRESS`);
      }
    },
    onAnswer: (request: SentRequest, answer: Deployment) => {
      const { step, isLast } = this.stepOf(request.logicalId);
      const { response } = answer;
      const status = `${request.requestType.toUpperCase()}_${response.Status === 'SUCCESS' ? 'COMPLETE' : 'FAILED'}`;
      if (request.late) {
        this.line('·', `${step}: its cancelled wait answered ${response.Status} at last; CloudFormation ignores it`);
      } else if (request.phase === 'rollback') {
        if (request.requestType === 'Update' || response.Status === 'FAILED') {
          this.line('↺', `${step}: ${status}${response.Status === 'SUCCESS' ? `: ${this.describe(response.Data ?? {})}` : `: ${response.Reason.trim().split('\n')[0]}`}`);
        }
      } else if (response.Status === 'FAILED') {
        this.line('✘', `${step}: ${status} after ${this.took(step)}: ${response.Reason.trim().split('\n')[0]}`);
      } else if (isLast && request.phase === undefined) {
        this.line('✔', `${step}: ${status} after ${this.took(step)}: ${this.describe(response.Data ?? {})}`);
      }
    },
  };

  /** Runs one stack operation, timed from its start. */
  /** Runs a stack operation, then says what IAM decided during it. */
  async run<T>(operation: () => Promise<T>): Promise<T> {
    this.startedAt = Date.now();
    this.stepStarts.clear();
    this.rollbackSaid.clear();
    const from = this.iam?.decisions.length ?? 0;
    const result = await operation();
    if (this.iam !== undefined && !this.muted) {
      this.say(`     ${iamSummary(this.iam, from)}`);
    }
    return result;
  }

  /** Says which requests CloudFormation cancelled at the failure. */
  cancelled(steps: readonly string[]): void {
    for (const step of new Set(steps)) {
      this.say(`     ${' '.repeat(7)}  ⊘ ${step}: was cancelled at the failure (its state machine ran on; its answer was ignored)`);
    }
  }

  /** Simulated time since the operation started, as the lines show it. */
  elapsed(): string {
    return formatDuration((Date.now() - this.startedAt) / 1000);
  }

  private took(step: string): string {
    return formatDuration((Date.now() - (this.stepStarts.get(step) ?? this.startedAt)) / 1000);
  }

  private line(mark: string, text: string): void {
    if (this.muted) {
      return;
    }
    this.say(`     ${this.elapsed().padStart(7)}  ${mark} ${text}`);
  }
}
