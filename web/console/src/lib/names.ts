// How the console names the API's enum values to people.

const seats: Record<string, string> = { RECORDER: 'Recorder', VOICE: 'Voice', CONTACT_CENTER: 'Contact Center' };

export function seatName(kind: string): string {
  return seats[kind] ?? kind;
}
