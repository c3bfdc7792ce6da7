import type { LocalIam } from './local-iam';

/**
 * One line on what IAM decided since decision number `from`: how many calls, and which it
 * refused (those refused because a new policy had not propagated yet are told apart).
 */
export function iamSummary(iam: LocalIam, from: number): string {
  const decisions = iam.decisions.slice(from);
  const refused = decisions.filter((decision) => !decision.allowed);
  const early = refused.filter((decision) => decision.beforePropagation === true);
  const lasting = refused.filter((decision) => decision.beforePropagation !== true);
  const refusedInWords =
    refused.length === 0
      ? 'refused none'
      : [
          early.length > 0 ? `refused ${early.length} before the role's policies had propagated` : '',
          lasting.length > 0 ? `refused ${lasting.length}: ${[...new Set(lasting.map((decision) => `${decision.action} on ${decision.resource}`))].join('; ')}` : '',
        ]
          .filter((part) => part !== '')
          .join(', ');
  return `IAM decided ${decisions.length} calls (the handlers', Personalize's with the job roles, Lambda's log and trace writes) and ${refusedInWords}`;
}
