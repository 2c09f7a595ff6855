/** Where the setup ends: the gallery, where the first offloaded files show up as they arrive. */
import type { Route } from '../../lib/router';

export const setupEnd: Route = { page: 'gallery' };
