/**
 * The tracks of the competitions the worker has just looked at, kept in memory so that the entry
 * editor, opened from the activity or the registration, knows a track's limits (characters,
 * photos, seconds, bytes) without a second call. `entries.open` does not send the track itself.
 */
import type { Track } from '../core/domain';

const known = new Map<string, Track[]>();

export function rememberTracks(activityId: string, tracks: readonly Track[] | null | undefined): void {
  if (tracks && tracks.length) known.set(activityId, [...tracks]);
}

export function knownTrack(activityId: string, trackId: string): Track | null {
  return known.get(activityId)?.find((t) => t.id === trackId) ?? null;
}
