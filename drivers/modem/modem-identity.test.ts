import { MockModemRig } from '../../simulator/modem/modem-rig';
import { queryModemIdentity } from './modem-identity';

describe('queryModemIdentity', () => {
  it.each([
    ['quectel-ec2x', { manufacturer: 'Quectel', model: 'EC25', revision: 'Revision: EC25EFAR06A06M4G' }],
    ['simcom-sim7600', { manufacturer: 'SIMCOM INCORPORATED', model: 'SIMCOM_SIM7600G-H', revision: 'LE20B04SIM7600G22' }],
    ['huawei-e1x', { manufacturer: 'huawei', model: 'E1550', revision: '11.608.12.02.143' }],
  ] as const)('asks a %s who it is', async (model, expected) => {
    const rig = new MockModemRig();
    rig.modem('/dev/ttyUSB2', model, { simPin: '1234' });
    const id = await queryModemIdentity(rig.opener, '/dev/ttyUSB2', { clock: rig.clock });
    expect(id).toEqual({ ...expected, imei: '866123456789012', sim: 'pin' });
  });

  it('a port that is not there is a typed error naming it', async () => {
    const rig = new MockModemRig();
    await expect(queryModemIdentity(rig.opener, '/dev/ttyUSB9', { clock: rig.clock })).rejects.toMatchObject({
      code: 'SERIAL_LINK_FAILED',
      failure: 'open-failed',
      path: '/dev/ttyUSB9',
    });
  });

  it('a silent module leaves the answers out instead of hanging', async () => {
    const rig = new MockModemRig();
    rig.modem('/dev/ttyUSB2', 'quectel-ec2x').fault('STOPS_ANSWERING');
    const pending = queryModemIdentity(rig.opener, '/dev/ttyUSB2', { clock: rig.clock, timeoutMs: 500 });
    await rig.run(5000, 100);
    await expect(pending).resolves.toEqual({ manufacturer: undefined, model: undefined, revision: undefined, imei: undefined });
  });
});
