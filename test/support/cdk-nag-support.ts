import * as cdkLibPackage from 'aws-cdk-lib/package.json';
import * as cdkNagPackage from 'cdk-nag/package.json';

/**
 * Why cdk-nag cannot run against the aws-cdk-lib installed here, or undefined when it can. The
 * floor run (scripts/test-floor.mjs) installs an aws-cdk-lib older than cdk-nag 3 supports; its
 * Validations API, through which cdk-nag 3 reports, does not exist there.
 */
export function cdkNagUnsupportedReason(): string | undefined {
  const installed = cdkLibPackage.version;
  const needed = cdkNagPackage.peerDependencies['aws-cdk-lib'];
  const floor = /^\^(\d+\.\d+\.\d+)$/.exec(needed)?.[1];
  if (floor === undefined) {
    throw new Error(`cdk-nag's aws-cdk-lib peer range ${JSON.stringify(needed)} is not of the ^x.y.z form this check reads`);
  }
  return compareVersions(installed, floor) < 0 ? `cdk-nag needs aws-cdk-lib ${needed}; this run has ${installed}` : undefined;
}

function compareVersions(a: string, b: string): number {
  const [x, y] = [a, b].map((version) => version.split('.').map(Number));
  for (let i = 0; i < 3; i++) {
    if (x[i] !== y[i]) {
      return x[i] - y[i];
    }
  }
  return 0;
}
