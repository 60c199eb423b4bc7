// A group's events through the groups plugin's contract: the Events tab on a closed group's
// page, its list and month calendar for members, an event created into the group (always at
// the group level), nothing for an outsider.
import { closedGroupWithTab } from '../../helpers/group-tab';
import { createdId, eachEventApp } from './support';

eachEventApp("events: a closed group's Events tab, list and calendar show its events to its members only", async (t, app) => {
  const group = await closedGroupWithTab(t, app, 'Events', (id) => `/events/in/${id}`);
  if (!group) return;
  const { groupId, gina, cora, out } = group;
  const year = new Date().getUTCFullYear() + 1;
  const form = await gina.get(`/events/new?container=${groupId}`);
  t.is(form.status, 200);
  t.true(form.text.includes('<option value="group" selected>'));
  const res = await gina.post('/events', {
    title: 'Rehearsal',
    body: 'Bring your scores',
    starts: `${year}-03-03T19:00`,
    access: 'public',
    time_zone: 'Europe/Paris',
    container: String(groupId),
  });
  t.is(res.status, 303);
  const id = createdId(res);
  const made = await app.rt.entities.get(id);
  t.is(made?.access, 'group');
  t.is(Number(made?.container_id), groupId);
  const list = await cora.get(`/events/in/${groupId}`);
  t.true(list.text.includes(`data-event="${id}"`));
  const cal = await cora.get(`/events/calendar?month=${year}-03&container=${groupId}`);
  t.is(cal.status, 200);
  t.true(cal.text.includes('Rehearsal'));
  t.true(cal.text.includes('Group events in'));
  // a closed group is known to all (its name, its page): its lists answer, without its events
  const outList = await out.get(`/events/in/${groupId}`);
  t.is(outList.status, 200);
  t.false(outList.text.includes(`data-event="${id}"`));
  t.false(outList.text.includes('Create an event'));
  t.false((await out.get(`/events/calendar?month=${year}-03&container=${groupId}`)).text.includes('Rehearsal'));
  t.is((await out.get(`/events/${id}`)).status, 404);
  t.false((await out.get('/events')).text.includes(`data-event="${id}"`));
  t.is((await out.post('/events', { title: 'Intruder', body: 'x', starts: `${year}-03-04T19:00`, container: String(groupId) })).status, 404);
});
