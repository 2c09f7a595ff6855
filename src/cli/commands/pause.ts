/**
 * `offload pause` / `offload resume`: the user's pause is a setting, so this writes it to the settings
 * file, and a running `offload watch` or desktop app (which follow the file) picks it up within a second.
 */
import type { OffloadService } from '../../core/service';
import type { CliIo } from '../io';

export async function pauseCommand(service: OffloadService, pause: boolean, io: CliIo): Promise<number> {
  if (pause) await service.queue.pause();
  else await service.queue.resume();
  io.out(pause ? 'paused: nothing new is uploaded until `offload resume`' : 'resumed');
  return 0;
}
