/** Twilio's REST error body. */
export interface TwilioError {
  code: number;
  message: string;
  more_info: string;
  status: number;
}

export function twilioError(status: number, code: number, message: string): TwilioError {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

export const TWILIO_ERRORS = {
  authenticate: () => twilioError(401, 20003, 'Authenticate'),
  notFound: (path: string) => twilioError(404, 20404, `The requested resource ${path} was not found`),
  unavailable: () => twilioError(503, 20500, 'Service unavailable'),
  missingTo: () => twilioError(400, 21604, "A 'To' phone number is required."),
  missingFrom: () => twilioError(400, 21603, "A 'From' phone number is required."),
  missingBody: () => twilioError(400, 21602, 'Message body is required.'),
  invalidTo: (to: string) => twilioError(400, 21211, `The 'To' number ${to} is not a valid phone number.`),
  notMobile: (to: string) => twilioError(400, 21614, `'To' number ${to} is not a valid mobile number`),
};
