import { parseKeyword } from './keywords';

describe('parseKeyword', () => {
  it.each([
    ['STOP', 'stop', 'STOP', null],
    ['stopp', 'stop', 'STOPP', null],
    ['  Stopp!  ', 'stop', 'STOPP', null],
    ['Stopp.', 'stop', 'STOPP', null],
    ['STOPALL', 'stop', 'STOPALL', null],
    ['unsubscribe', 'stop', 'UNSUBSCRIBE', null],
    ['Cancel', 'stop', 'CANCEL', null],
    ['end', 'stop', 'END', null],
    ['quit', 'stop', 'QUIT', null],
    ['OptOut', 'stop', 'OPTOUT', null],
    ['revoke', 'stop', 'REVOKE', null],
    ['start', 'start', 'START', null],
    ['Yes!', 'start', 'YES', null],
    ['UNSTOP', 'start', 'UNSTOP', null],
    ['help', 'help', 'HELP', null],
    ['Info?', 'help', 'INFO', null],
    ['skola stopp', 'stop', 'SKOLA STOPP', 'SKOLA'],
    ['SKOLA STOP', 'stop', 'SKOLA STOP', 'SKOLA'],
    ['Skola  Start', 'start', 'SKOLA START', 'SKOLA'],
    ['Skola help', 'help', 'SKOLA HELP', 'SKOLA'],
    ['KLUBB INFO', 'help', 'KLUBB INFO', 'KLUBB'],
    ['kw2 stopp!', 'stop', 'KW2 STOPP', 'KW2'],
    // The parser cannot know the registered keywords: an unknown prefix is the use case's to judge.
    ['please stop', 'stop', 'PLEASE STOP', 'PLEASE'],
  ])('%j → %s (keyword %j, prefix %j)', (body, action, keyword, prefix) => {
    expect(parseKeyword(body)).toEqual({ action, keyword, prefix });
  });

  it.each([
    ['Tack, vi kommer!'],
    ['stop sending me these'],
    ['STOPPA'],
    ['STO P'],
    ['SKOLA UNSUBSCRIBE'],
    ['ÅÄÖ STOPP'],
    ['a b stop'],
    [''],
    ['   '],
    ['!!!'],
  ])('%j is an ordinary reply', (body) => {
    expect(parseKeyword(body)).toEqual({ action: 'reply', keyword: null, prefix: null });
  });
});
