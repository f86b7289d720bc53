// asl-validator ships JavaScript without type declarations; this is the part of its API we use.
declare module 'asl-validator' {
  export interface AslValidationError {
    readonly 'Error code': string;
    readonly Path?: string;
    readonly Message?: string;
    readonly message: string;
  }
  export interface AslValidatorOptions {
    readonly checkPaths?: boolean;
    readonly checkArn?: boolean;
  }
  export default function aslValidator(
    definition: unknown,
    options?: AslValidatorOptions,
  ): { isValid: boolean; errors: AslValidationError[]; errorsText?: (separator?: string) => string };
}
