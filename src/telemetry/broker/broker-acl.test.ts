import { mayPublish, mayRead, mosquittoAcl } from './broker-acl';

const opts = { serviceUser: 'trunkpilot', discoveryPrefix: 'homeassistant' };
const boss = { user: 'boss', role: 'operator' as const };
const wall = { user: 'wall', role: 'viewer' as const };

describe('broker ACL', () => {
  it("lets a user read its own access topic and not another's", () => {
    expect(mayRead(wall, 'trunkpilot/gw/access/wall', opts)).toBe(true);
    expect(mayRead(wall, 'trunkpilot/gw/access/boss', opts)).toBe(false);
    expect(mayRead(boss, 'trunkpilot/gw/access/boss/x', opts)).toBe(false);
    expect(mayRead(undefined, 'trunkpilot/gw/access/wall', opts)).toBe(false);
  });

  it('lets only the service user write Home Assistant discovery, and logged-in users read it', () => {
    const topic = 'homeassistant/sensor/trunkpilot_gw/seat_seat1/config';
    expect(mayPublish({ user: 'trunkpilot', role: 'operator' }, topic, opts)).toBe(true);
    expect(mayPublish(boss, topic, opts)).toBe(false);
    expect(mayRead(wall, topic, opts)).toBe(true);
    expect(mayRead(undefined, topic, opts)).toBe(false);
    // Without discovery configured the prefix is nobody's.
    expect(mayPublish({ user: 'trunkpilot', role: 'operator' }, topic, { serviceUser: 'trunkpilot' })).toBe(false);
  });

  it('writes the same rules for mosquitto', () => {
    const acl = mosquittoAcl({ ...opts, roles: { boss: 'operator', wall: 'viewer' } }).split('\n');
    expect(acl).toContain('pattern read trunkpilot/+/access/%u');
    expect(acl).toContain('pattern read homeassistant/#');
    const service = acl.indexOf('user trunkpilot');
    expect(acl.slice(service, service + 3)).toContain('topic readwrite homeassistant/#');
    expect(mosquittoAcl({ serviceUser: 'trunkpilot', roles: {} })).not.toContain('homeassistant');
  });
});
