import { Body, Controller, Get, Param, Post, Req, Res, UseInterceptors } from '@nestjs/common';
import { NoFilesInterceptor } from '@nestjs/platform-express';
import { ConfirmEmailAddress, ReadRecipientLink, RecipientLinkState, ResubscribeByLink, UnsubscribeByLink } from '@utskick/suppression';
import type { Request, Response } from 'express';
import { pageLanguage } from './pages/language';
import { PAGE_HEADERS } from './pages/page';
import { RecipientPage, recipientPage } from './pages/recipient-pages';

/** Form bodies of a button or an RFC 8058 one-click post: urlencoded (parsed at boot) or multipart, small and file-less. */
const FORM = NoFilesInterceptor({ limits: { fields: 20, fieldSize: 2048, parts: 20, fieldNameSize: 100 } });

const isOneClick = (body: unknown) =>
  !!body && typeof body === 'object' && (body as Record<string, unknown>)['List-Unsubscribe'] === 'One-Click';

/**
 * The recipient pages under PUBLIC_BASE_URL: unsubscribe (/u), re-subscribe (/r), confirm (/c).
 * A GET only shows a page with a button (link scanners fetch links); a POST acts at once, needs no
 * login or cookie, and answers 200 with the resulting page, never a redirect. A forged or unknown
 * token gets the same plain 404 page, whatever was wrong with it.
 */
@Controller()
export class RecipientPagesController {
  constructor(
    private readonly read: ReadRecipientLink,
    private readonly unsubscribeByLink: UnsubscribeByLink,
    private readonly resubscribeByLink: ResubscribeByLink,
    private readonly confirmAddress: ConfirmEmailAddress,
  ) {}

  @Get('u/:token')
  async showUnsubscribe(@Param('token') token: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const s = await this.read.execute({ token });
    this.send(req, res, token, s, s?.unsubscribed ? 'unsubscribed' : 'unsubscribe');
  }

  @Post('u/:token')
  @UseInterceptors(FORM)
  async unsubscribe(@Param('token') token: string, @Body() body: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const s = await this.unsubscribeByLink.execute({ token, oneClick: isOneClick(body) });
    this.send(req, res, token, s, 'unsubscribed');
  }

  @Get('r/:token')
  async showResubscribe(@Param('token') token: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const s = await this.read.execute({ token });
    this.send(req, res, token, s, s?.unsubscribed ? 'resubscribe' : 'subscribed');
  }

  @Post('r/:token')
  @UseInterceptors(FORM)
  async resubscribe(@Param('token') token: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    this.send(req, res, token, await this.resubscribeByLink.execute({ token }), 'subscribed');
  }

  @Get('c/:token')
  async showConfirm(@Param('token') token: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const s = await this.read.execute({ token });
    this.send(req, res, token, s?.confirmationRequest ? s : null, confirmPage(s));
  }

  @Post('c/:token')
  @UseInterceptors(FORM)
  async confirm(@Param('token') token: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const s = await this.confirmAddress.execute({ token });
    this.send(req, res, token, s, confirmPage(s));
  }

  private send(req: Request, res: Response, token: string, state: RecipientLinkState | null, page: RecipientPage): void {
    const lang = pageLanguage(req.query.lang, req.header('accept-language'), state?.tenantLocale);
    res
      .status(state ? 200 : 404)
      .set(PAGE_HEADERS)
      .set('Content-Language', lang)
      .type('text/html; charset=utf-8')
      .send(recipientPage(state ? page : 'not_found', lang, state, token));
  }
}

function confirmPage(s: RecipientLinkState | null): RecipientPage {
  if (s?.addressStatus === 'confirmed') return 'confirmed';
  return s?.addressStatus === 'problem' ? 'confirm_blocked' : 'confirm';
}
