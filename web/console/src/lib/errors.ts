import type { CombinedError } from 'urql';

/** An API error as the console shows it: the server's message and code. */
export interface ApiError {
  message: string;
  code: string;
  permission?: string;
  field?: string;
}

export function apiErrors(err: CombinedError): ApiError[] {
  if (err.graphQLErrors.length > 0) {
    return err.graphQLErrors.map((e) => {
      const ext = (e.extensions ?? {}) as Record<string, unknown>;
      return {
        message: e.message,
        code: typeof ext.code === 'string' ? ext.code : 'ERROR',
        permission: typeof ext.permission === 'string' ? ext.permission : undefined,
        field: typeof ext.field === 'string' ? ext.field : undefined,
      };
    });
  }
  return [{ message: err.networkError?.message ?? err.message, code: 'NETWORK' }];
}

export function isUnauthenticated(err: CombinedError | undefined): boolean {
  return !!err && apiErrors(err).some((e) => e.code === 'UNAUTHENTICATED');
}
