from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0004_message_purpose_manage_link_renewed'),
    ]

    operations = [
        migrations.AlterField(
            model_name='message',
            name='purpose',
            field=models.CharField(choices=[('registration_confirmed', 'Registration confirmed'), ('waitlist_joined', 'Waiting list joined'), ('waitlist_offer', 'Place offered from the waiting list'), ('guardian_confirmation', 'Guardian confirmation request'), ('place_released', 'Place released'), ('registration_cancelled', 'Registration cancelled'), ('manage_link_renewed', 'New link to the registration'), ('registration_changed', 'Registration changed'), ('booking_requested', 'Stand booking requested'), ('booking_approved', 'Stand booking approved'), ('booking_rejected', 'Stand booking rejected'), ('booking_cancelled', 'Stand booking cancelled'), ('stand_offer', 'Stand offered from the waiting list'), ('company_email_confirmation', 'Company e-mail confirmation'), ('company_member_invited', 'Company member invited'), ('reminder', 'Reminder'), ('announcement', 'Announcement'), ('announcement_test', 'Announcement (test)'), ('data_access_link', "Link to a person's stored data")], max_length=40, verbose_name='purpose'),
        ),
    ]
