/**
 * What a staff page changed for another one still on the page stack: the editor bumps its topic
 * on a save, and the list notes the version it drew and reloads in onShow when it moved.
 * In memory, as long as the app.
 */
export type StaffTopic = 'announcements' | 'activities';

const versions: Record<StaffTopic, number> = { announcements: 0, activities: 0 };

export function bumpStaff(topic: StaffTopic): void {
  versions[topic] += 1;
}

export function staffVersion(topic: StaffTopic): number {
  return versions[topic];
}
