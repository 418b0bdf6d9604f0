from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from cspr.management.commands.load_demo import DEMO_DEVICE


class Command(BaseCommand):
    help = (
        "Print the second-factor code a fictional demo person's authenticator app would show "
        "now (demo devices only; never in production)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, username, **options):
        if "production" in settings.SETTINGS_MODULE:
            raise CommandError("Demo codes exist only on the embedded demo.")
        device = TOTPDevice.objects.filter(
            user__username=username, name=DEMO_DEVICE, confirmed=True
        ).first()
        if device is None:
            raise CommandError(f"{username} has no demo device: load the demo first.")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(f"{totp.token():0{device.digits}d}")
