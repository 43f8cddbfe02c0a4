import { atFields, parseReport } from './at-reports';

describe('parseReport: one vocabulary over three dialects', () => {
  it.each([
    // 27.007
    ['RING', { type: 'ring' }],
    ['+CLIP: "13900139000",129,"",,"",0', { type: 'clip', number: '13900139000' }],
    [
      '+CLCC: 1,0,2,0,0,"13800138000",129',
      { type: 'call', idx: 1, state: 'dialing', direction: 'outbound', number: '13800138000', source: '+CLCC' },
    ],
    [
      '+CLCC: 2,1,4,0,0,"+8613900139000",145',
      { type: 'call', idx: 2, state: 'incoming', direction: 'inbound', number: '+8613900139000', source: '+CLCC' },
    ],
    ['+CSQ: 23,99', { type: 'signal', rssi: 23, ber: 99 }],
    ['+CREG: 0,1', { type: 'registration', state: 'home', domain: 'cs' }],
    ['+CREG: 2,5,"1A2B","00C3D4"', { type: 'registration', state: 'roaming', domain: 'cs' }],
    ['+CREG: 3,"1A2B","00C3D4"', { type: 'registration', state: 'denied', domain: 'cs' }],
    ['+CEREG: 2', { type: 'registration', state: 'searching', domain: 'eps' }],
    ['+CPIN: READY', { type: 'sim', state: 'ready' }],
    ['+CPIN: SIM PIN', { type: 'sim', state: 'pin' }],
    ['+COPS: 0,0,"CHINA MOBILE",7', { type: 'operator', name: 'CHINA MOBILE' }],
    ['+CEER: "CC INFO","User busy"', { type: 'ceer', cause: 17, text: 'User busy' }],
    ['+CEER: Unassigned (unallocated) number', { type: 'ceer', cause: 1, text: 'Unassigned (unallocated) number' }],
    ['+CEER: 34', { type: 'ceer', cause: 34, text: '34' }],
    ['NO CARRIER', { type: 'call', state: 'ended', cause: 16, source: 'NO CARRIER' }],
    // Quectel
    [
      '+QIND: "ccinfo",1,0,3,0,0,"13800138000",129',
      { type: 'call', idx: 1, state: 'alerting', direction: 'outbound', number: '13800138000', source: '+QIND ccinfo' },
    ],
    [
      '+QIND: "ccinfo",1,0,-1,0,0,"13800138000",129',
      { type: 'call', idx: 1, state: 'ended', direction: 'outbound', number: '13800138000', source: '+QIND ccinfo' },
    ],
    ['+QIND: "csq",18,99', { type: 'signal', rssi: 18, ber: 99 }],
    ['+QTONEDET: 53', { type: 'dtmf', digit: '5' }],
    ['+QCCID: 89860012345678901234', { type: 'iccid', iccid: '89860012345678901234' }],
    // SIMCom
    ['VOICE CALL: BEGIN', { type: 'call', state: 'active', source: 'VOICE CALL' }],
    ['VOICE CALL: END: 000012', { type: 'call', state: 'ended', source: 'VOICE CALL' }],
    ['+RXDTMF: #', { type: 'dtmf', digit: '#' }],
    // Huawei
    ['^ORIG:1,0', { type: 'call', idx: 1, state: 'dialing', direction: 'outbound', source: '^ORIG' }],
    ['^CONF:1', { type: 'call', idx: 1, state: 'alerting', direction: 'outbound', source: '^CONF' }],
    ['^CONN:1,0', { type: 'call', idx: 1, state: 'active', source: '^CONN' }],
    ['^CEND:1,0,104,17', { type: 'call', idx: 1, state: 'ended', cause: 17, source: '^CEND' }],
    ['^RSSI:14', { type: 'signal', rssi: 14 }],
  ])('%s', (line, report) => {
    expect(parseReport(line)).toEqual(report);
  });

  it.each(['+CSQ: abc', '+CLCC: 1,x', '+CPIN: WHATEVER', '^CEND:', '+QTONEDET: 999'])(
    'a known prefix that does not parse is malformed: %s',
    (line) => {
      expect(parseReport(line)).toBe('malformed');
    },
  );

  it('lines that are not reports are left alone', () => {
    expect(parseReport('866123456789012')).toBeUndefined();
    expect(parseReport('+QIND: "act","LTE"')).toBeUndefined();
    expect(parseReport('Quectel')).toBeUndefined();
  });

  it('data calls in +CLCC are not voice calls', () => {
    expect(parseReport('+CLCC: 1,0,0,1,0,"",129')).toBeUndefined();
  });

  it('splits fields on commas outside quotes', () => {
    expect(atFields('0,0,"CHINA, MOBILE",7')).toEqual(['0', '0', 'CHINA, MOBILE', '7']);
  });
});
