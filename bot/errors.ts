// Error kinds that cross layers: edge errors map to HTTP codes, InputError to a Chinese message.
import type { CardModel } from '../cards/model.js';

/** The request is not from the platform (bad signature, bad token): HTTP 401. */
export class VerificationError extends Error {
  override name = 'VerificationError';
}

/** The request cannot be read (not JSON, cannot decrypt, wrong shape): HTTP 400. */
export class BadRequestError extends Error {
  override name = 'BadRequestError';
}

/** A user mistake, shown to the user in Chinese; `field` names what to fix. */
export class InputError extends Error {
  override name = 'InputError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** A question back to the user instead of a guess (which campaign?): the message, and a card to answer it with. */
export class ChoiceError extends InputError {
  override name = 'ChoiceError';
  constructor(
    field: string,
    message: string,
    readonly card: CardModel,
  ) {
    super(field, message);
  }
}

/** A configuration value that cannot be used; the message names the variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
  }
}

/** An Open API call that failed; `retryAfterMs` is set when the platform said how long to wait. */
export class PlatformApiError extends Error {
  override name = 'PlatformApiError';
  constructor(
    message: string,
    readonly details: {
      status?: number;
      code?: number;
      retryable: boolean;
      retryAfterMs?: number;
    },
  ) {
    super(message);
  }
  get isRetryable(): boolean {
    return this.details.retryable;
  }
}
