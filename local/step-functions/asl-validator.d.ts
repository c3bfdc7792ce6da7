// asl-validator 4.0.0 ships JavaScript only: the part of its API the local world uses (its README, "In your code";
// an error is { 'Error code', Message }, not the README's { message }: dist/src/checks).
declare module 'asl-validator' {
  interface ValidationResult {
    readonly isValid: boolean;
    errorsText(separator?: string): string;
  }
  function aslValidator(definition: unknown, options?: { readonly checkPaths?: boolean; readonly checkArn?: boolean }): ValidationResult;
  export = aslValidator;
}
