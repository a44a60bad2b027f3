/**
 * whatsapp-web.js depends on puppeteer, whose install script would download a browser. Nothing may be
 * downloaded at install time here: the WhatsApp Web channel drives the system Chromium (CHROMIUM_PATH).
 */
module.exports = { skipDownload: true };
