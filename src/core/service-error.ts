/** A command the service was asked to do that it refuses, with the code the window and scripts branch on. */
import { CoreError } from './errors';

export class ServiceError extends CoreError {}
