/** What a worker can do with an activity now: pure rules shared by the app and the functions. */
import type { ActivityCard, ActivityDoc, NextStep } from '../domain';
import { windowState } from '../time';

export interface MyStanding {
  registered: boolean;
  waitlisted: boolean;
}

export function seatsLeft(a: Pick<ActivityDoc, 'capacity' | 'taken'>): number | null {
  return a.capacity > 0 ? Math.max(0, a.capacity - a.taken) : null;
}

export function nextStep(a: ActivityDoc, now: number, mine: MyStanding | null): NextStep {
  if (a.status !== 'published') return a.competition && a.status === 'closed' ? 'results' : 'view';
  const comp = a.competition;
  if (mine?.registered) {
    if (comp && windowState(comp.windows.submission, now) === 'open') return 'submit';
    return 'registered';
  }
  if (comp && windowState(comp.windows.publicity, now) !== 'before') return 'results';
  if (windowState(a.signup, now) !== 'open') return 'view';
  if (mine?.waitlisted) return 'registered';
  const left = seatsLeft(a);
  return left === 0 ? 'waitlist' : 'register';
}

export function toCard(a: ActivityDoc, now: number, mine: MyStanding | null): ActivityCard {
  return {
    id: a._id,
    kind: a.kind,
    title: a.title,
    place: a.place,
    time: a.time,
    signup: a.signup,
    status: a.status,
    capacity: a.capacity,
    left: seatsLeft(a),
    next: nextStep(a, now, mine),
  };
}
