/** Bundles lambda/index.ts into `outdir`/index.js; answers its size in bytes, in all and by package. */
export declare function bundleWaiterHandler(options?: {
  outdir?: string;
  bundleAwsSdk?: boolean;
}): Promise<{ bytes: number; bytesByPackage: Record<string, number> }>;
