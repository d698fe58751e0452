<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>AccountDialog</name>
    <message>
        <location filename="../gui/account_dialog.py" line="145"/>
        <source>New e-mail account</source>
        <translation>Neues E-Mail-Konto</translation>
    </message>
    <message>
        <location filename="../gui/account_dialog.py" line="147"/>
        <source>E-mail account {number}</source>
        <translation>E-Mail-Konto {number}</translation>
    </message>
    <message>
        <location filename="../gui/account_dialog.py" line="195"/>
        <source>Aut&amp;hentication settings…</source>
        <translation>A&amp;uthentifizierungs-Einstellungen…</translation>
    </message>
    <message>
        <location filename="../gui/account_dialog.py" line="216"/>
        <source>&amp;Find settings…</source>
        <translation>Einstellungen ermitteln…</translation>
    </message>
    <message>
        <location filename="../gui/account_dialog.py" line="220"/>
        <source>Find the POP3 and SMTP settings of this address: the domain&apos;s own configuration, the ISPDB, its DNS records. Passwords are never filled in.</source>
        <translation>Die POP3- und SMTP-Einstellungen dieser Adresse ermitteln: aus der eigenen Konfiguration der Domain, der ISPDB und ihren DNS-Einträgen. Passwörter werden nie eingetragen.</translation>
    </message>
    <message>
        <location filename="../gui/account_dialog.py" line="229"/>
        <source>Codes separated by “;”. F5 opens the list.</source>
        <translation>Kürzel mit „;“ getrennt. F5 öffnet die Liste.</translation>
    </message>
    <message>
        <location filename="../gui/account_dialog.py" line="249"/>
        <source>Switch to OAuth&amp;2…</source>
        <translation>Auf OAuth&amp;2 umstellen…</translation>
    </message>
    <message>
        <location filename="../gui/account_dialog.py" line="253"/>
        <source>Sets the account to sign in with OAuth2 at the provider and opens the OAuth2 card. Nothing is saved until you save.</source>
        <translation>Stellt das Konto auf die Anmeldung mit OAuth2 beim Anbieter um und öffnet die Karte „OAuth2“. Gespeichert wird erst, wenn Sie speichern.</translation>
    </message>
    <message>
        <location filename="../gui/account_dialog.py" line="311"/>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <location filename="../gui/account_dialog.py" line="315"/>
        <source>Test account settin&amp;gs…</source>
        <translation>Kontoeinste&amp;llungen testen…</translation>
    </message>
    <message>
        <location filename="../gui/account_dialog.py" line="320"/>
        <location filename="../gui/account_dialog.py" line="716"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../gui/account_dialog.py" line="332"/>
        <location filename="../gui/account_dialog.py" line="518"/>
        <source>Save and close (F10)</source>
        <translation>Speichern und schließen (F10)</translation>
    </message>
    <message>
        <location filename="../gui/account_dialog.py" line="499"/>
        <source>Testing Exchange accounts is not available yet.</source>
        <translation>Exchange-Konten können noch nicht getestet werden.</translation>
    </message>
    <message>
        <location filename="../gui/account_dialog.py" line="501"/>
        <source>Correct the marked fields first.</source>
        <translation>Korrigieren Sie zuerst die markierten Felder.</translation>
    </message>
    <message>
        <location filename="../gui/account_dialog.py" line="504"/>
        <source>Log in to the POP3 and SMTP servers with these settings.</source>
        <translation>Mit diesen Einstellungen am POP3- und SMTP-Server anmelden.</translation>
    </message>
    <message>
        <location filename="../gui/account_dialog.py" line="508"/>
        <source>Cannot save yet:</source>
        <translation>Speichern noch nicht möglich:</translation>
    </message>
    <message>
        <location filename="../gui/account_dialog.py" line="512"/>
        <source>{count} problems, first: {first}</source>
        <translation>{count} Fehler, zuerst: {first}</translation>
    </message>
    <message>
        <location filename="../gui/account_dialog.py" line="515"/>
        <source>Cannot save: {reason}</source>
        <translation>Speichern nicht möglich – {reason}</translation>
    </message>
    <message>
        <location filename="../gui/account_dialog.py" line="545"/>
        <source>Choose operators</source>
        <translation>Bediener auswählen</translation>
    </message>
    <message>
        <location filename="../gui/account_dialog.py" line="545"/>
        <source>Choose workgroups</source>
        <translation>Arbeitsgruppen auswählen</translation>
    </message>
    <message>
        <location filename="../gui/account_dialog.py" line="661"/>
        <source>Saving…</source>
        <translation>Wird gespeichert…</translation>
    </message>
    <message>
        <location filename="../gui/account_dialog.py" line="679"/>
        <source>Another administrator has deleted this account. Your input is still here; copy what you need, or close the dialog.</source>
        <translation>Ein anderer Administrator hat dieses Konto gelöscht. Ihre Eingaben sind noch da; übernehmen Sie, was Sie brauchen, oder schließen Sie den Dialog.</translation>
    </message>
    <message>
        <location filename="../gui/account_dialog.py" line="684"/>
        <source>The password could not be stored in the keyring, so nothing was saved.</source>
        <translation>Das Passwort konnte nicht im Schlüsselbund gespeichert werden, daher wurde nichts gespeichert.</translation>
    </message>
    <message>
        <location filename="../gui/account_dialog.py" line="689"/>
        <source>Nothing was saved.</source>
        <translation>Es wurde nichts gespeichert.</translation>
    </message>
    <message>
        <location filename="../gui/account_dialog.py" line="692"/>
        <source>Not saved</source>
        <translation>Nicht gespeichert</translation>
    </message>
    <message>
        <location filename="../gui/account_dialog.py" line="704"/>
        <source>Changed by someone else</source>
        <translation>Von jemand anderem geändert</translation>
    </message>
    <message>
        <location filename="../gui/account_dialog.py" line="706"/>
        <source>Another administrator saved this account after you opened it.

Reload shows their version (your changes are lost); Overwrite saves yours over theirs.</source>
        <translation>Ein anderer Administrator hat dieses Konto gespeichert, nachdem Sie es geöffnet haben.

„Neu laden“ zeigt seine Fassung (Ihre Änderungen gehen verloren); „Überschreiben“ speichert Ihre Fassung über seine.</translation>
    </message>
    <message>
        <location filename="../gui/account_dialog.py" line="714"/>
        <source>Reload</source>
        <translation>Neu laden</translation>
    </message>
    <message>
        <location filename="../gui/account_dialog.py" line="715"/>
        <source>Overwrite</source>
        <translation>Überschreiben</translation>
    </message>
    <message>
        <location filename="../gui/account_dialog.py" line="756"/>
        <location filename="../gui/account_dialog.py" line="757"/>
        <source>Discard changes?</source>
        <translation>Änderungen verwerfen?</translation>
    </message>
    <message>
        <location filename="../gui/account_dialog.py" line="759"/>
        <source>Your changes to this account have not been saved.</source>
        <translation>Ihre Änderungen an diesem Konto sind nicht gespeichert.</translation>
    </message>
    <message>
        <location filename="../gui/account_dialog.py" line="764"/>
        <source>Discard</source>
        <translation>Verwerfen</translation>
    </message>
    <message>
        <location filename="../gui/account_dialog.py" line="765"/>
        <source>Keep editing</source>
        <translation>Weiter bearbeiten</translation>
    </message>
</context>
<context>
    <name>AccountTable</name>
    <message>
        <location filename="../gui/account_table.py" line="46"/>
        <source>Number</source>
        <translation>Nummer</translation>
    </message>
    <message>
        <location filename="../gui/account_table.py" line="47"/>
        <source>E-mail address</source>
        <translation>E-Mail-Adresse</translation>
    </message>
    <message>
        <location filename="../gui/account_table.py" line="48"/>
        <source>Incoming server</source>
        <translation>Posteingangsserver</translation>
    </message>
    <message>
        <location filename="../gui/account_table.py" line="49"/>
        <source>Outgoing server</source>
        <translation>Postausgangsserver</translation>
    </message>
    <message>
        <location filename="../gui/account_table.py" line="50"/>
        <source>Operators</source>
        <translation>Bediener</translation>
    </message>
    <message>
        <location filename="../gui/account_table.py" line="51"/>
        <source>Type</source>
        <translation>Art</translation>
    </message>
    <message>
        <location filename="../gui/account_table.py" line="52"/>
        <source>Last fetch</source>
        <translation>Letzter Abruf</translation>
    </message>
    <message>
        <location filename="../gui/account_table.py" line="102"/>
        <source>POP3</source>
        <translation>POP3</translation>
    </message>
    <message>
        <location filename="../gui/account_table.py" line="103"/>
        <source>Exchange</source>
        <translation>Exchange</translation>
    </message>
    <message numerus="yes">
        <location filename="../gui/account_table.py" line="168"/>
        <source>off: %n failed run(s)</source>
        <translation>
            <numerusform>abgeschaltet: %n Fehlversuch</numerusform>
            <numerusform>abgeschaltet: %n Fehlversuche</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../gui/account_table.py" line="174"/>
        <source>off</source>
        <translation>abgeschaltet</translation>
    </message>
    <message>
        <location filename="../gui/account_table.py" line="175"/>
        <source>off · failed: {reason}</source>
        <translation>abgeschaltet · fehlgeschlagen: {reason}</translation>
    </message>
    <message>
        <location filename="../gui/account_table.py" line="179"/>
        <location filename="../gui/account_table.py" line="215"/>
        <source>failed: {reason}</source>
        <translation>fehlgeschlagen: {reason}</translation>
    </message>
    <message numerus="yes">
        <location filename="../gui/account_table.py" line="182"/>
        <location filename="../gui/account_table.py" line="213"/>
        <source>ok, %n new</source>
        <translation>
            <numerusform>ok, %n neu</numerusform>
            <numerusform>ok, %n neu</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../gui/account_table.py" line="193"/>
        <source>{day}.{month}. {time}</source>
        <translation>{day}.{month}. {time}</translation>
    </message>
    <message>
        <location filename="../gui/account_table.py" line="196"/>
        <source>{day}.{month}.{year} {time}</source>
        <translation>{day}.{month}.{year} {time}</translation>
    </message>
    <message>
        <location filename="../gui/account_table.py" line="208"/>
        <source>Not fetched yet.</source>
        <translation>Noch nicht abgerufen.</translation>
    </message>
    <message>
        <location filename="../gui/account_table.py" line="210"/>
        <source>Last fetch: {when}</source>
        <translation>Letzter Abruf: {when}</translation>
    </message>
    <message numerus="yes">
        <location filename="../gui/account_table.py" line="218"/>
        <source>%n failed run(s) in a row</source>
        <translation>
            <numerusform>%n Fehlversuch in Folge</numerusform>
            <numerusform>%n Fehlversuche in Folge</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../gui/account_table.py" line="222"/>
        <source>Scheduled fetching was switched off after %n failed run(s) in a row. Switch it on again on the account&apos;s Fetching card.</source>
        <translation>
            <numerusform>Der zeitgesteuerte Abruf wurde nach %n Fehlversuch in Folge abgeschaltet. Schalten Sie ihn auf der Karte „Abruf“ des Kontos wieder ein.</numerusform>
            <numerusform>Der zeitgesteuerte Abruf wurde nach %n Fehlversuchen in Folge abgeschaltet. Schalten Sie ihn auf der Karte „Abruf“ des Kontos wieder ein.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../gui/account_table.py" line="231"/>
        <source>Scheduled fetching is switched off. Switch it on again on the account&apos;s Fetching card.</source>
        <translation>Der zeitgesteuerte Abruf ist abgeschaltet. Schalten Sie ihn auf der Karte „Abruf“ des Kontos wieder ein.</translation>
    </message>
    <message>
        <location filename="../gui/account_table.py" line="272"/>
        <source>Open the account to switch it to OAuth2.</source>
        <translation>Öffnen Sie das Konto, um es auf OAuth2 umzustellen.</translation>
    </message>
</context>
<context>
    <name>AuthDialog</name>
    <message>
        <location filename="../gui/auth_dialog.py" line="22"/>
        <source>Authentication settings</source>
        <translation>Authentifizierungs-Einstellungen</translation>
    </message>
    <message>
        <location filename="../gui/auth_dialog.py" line="30"/>
        <source>Choose the logon method your Internet service provider specified, and enter the account name and the password it assigned to you.</source>
        <translation>Wählen Sie das von Ihrem Internetdienstanbieter festgelegte Anmeldeverfahren und geben Sie den Kontonamen und das Ihnen zugewiesene Kennwort ein.</translation>
    </message>
</context>
<context>
    <name>AutoconfigDialog</name>
    <message>
        <location filename="../gui/autoconfig_dialog.py" line="40"/>
        <source>the domain&apos;s own configuration file</source>
        <translation>der eigenen Konfigurationsdatei der Domain</translation>
    </message>
    <message>
        <location filename="../gui/autoconfig_dialog.py" line="41"/>
        <source>the ISPDB, a database of mail providers&apos; settings</source>
        <translation>der ISPDB, einer Datenbank mit den Einstellungen von Mail-Anbietern</translation>
    </message>
    <message>
        <location filename="../gui/autoconfig_dialog.py" line="44"/>
        <source>the domain&apos;s SRV records (DNS)</source>
        <translation>den SRV-Einträgen der Domain (DNS)</translation>
    </message>
    <message>
        <location filename="../gui/autoconfig_dialog.py" line="45"/>
        <source>a guess: the ISPDB entry of the domain&apos;s mail server (MX)</source>
        <translation>einer Vermutung: dem ISPDB-Eintrag des Mailservers der Domain (MX)</translation>
    </message>
    <message>
        <location filename="../gui/autoconfig_dialog.py" line="48"/>
        <source>a guess: servers that answered under common names</source>
        <translation>einer Vermutung: Servern, die unter üblichen Namen antworteten</translation>
    </message>
    <message>
        <location filename="../gui/autoconfig_dialog.py" line="53"/>
        <source>Domain</source>
        <translation>Domain</translation>
    </message>
    <message>
        <location filename="../gui/autoconfig_dialog.py" line="54"/>
        <source>ISPDB</source>
        <translation>ISPDB</translation>
    </message>
    <message>
        <location filename="../gui/autoconfig_dialog.py" line="55"/>
        <source>SRV</source>
        <translation>SRV</translation>
    </message>
    <message>
        <location filename="../gui/autoconfig_dialog.py" line="56"/>
        <source>MX</source>
        <translation>MX</translation>
    </message>
    <message>
        <location filename="../gui/autoconfig_dialog.py" line="57"/>
        <source>Guess</source>
        <translation>Vermutung</translation>
    </message>
    <message>
        <location filename="../gui/autoconfig_dialog.py" line="58"/>
        <source>Check</source>
        <translation>Prüfung</translation>
    </message>
    <message>
        <location filename="../gui/autoconfig_dialog.py" line="61"/>
        <source>Microsoft</source>
        <translation>Microsoft</translation>
    </message>
    <message>
        <location filename="../gui/autoconfig_dialog.py" line="62"/>
        <source>Google</source>
        <translation>Google</translation>
    </message>
    <message>
        <location filename="../gui/autoconfig_dialog.py" line="65"/>
        <source>implicit SSL/TLS</source>
        <translation>implizites SSL/TLS</translation>
    </message>
    <message>
        <location filename="../gui/autoconfig_dialog.py" line="66"/>
        <source>STARTTLS</source>
        <translation>STARTTLS</translation>
    </message>
    <message>
        <location filename="../gui/autoconfig_dialog.py" line="67"/>
        <source>unencrypted</source>
        <translation>unverschlüsselt</translation>
    </message>
    <message>
        <location filename="../gui/autoconfig_dialog.py" line="93"/>
        <source>Find settings</source>
        <translation>Einstellungen ermitteln</translation>
    </message>
    <message>
        <location filename="../gui/autoconfig_dialog.py" line="111"/>
        <source>Source</source>
        <translation>Quelle</translation>
    </message>
    <message>
        <location filename="../gui/autoconfig_dialog.py" line="111"/>
        <source>Query</source>
        <translation>Anfrage</translation>
    </message>
    <message>
        <location filename="../gui/autoconfig_dialog.py" line="111"/>
        <source>Answer</source>
        <translation>Antwort</translation>
    </message>
    <message>
        <location filename="../gui/autoconfig_dialog.py" line="111"/>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <location filename="../gui/autoconfig_dialog.py" line="123"/>
        <source>What was tried:</source>
        <translation>Was versucht wurde:</translation>
    </message>
    <message>
        <location filename="../gui/autoconfig_dialog.py" line="124"/>
        <source>&amp;Apply these settings</source>
        <translation>Diese Einstellungen &amp;übernehmen</translation>
    </message>
    <message>
        <location filename="../gui/autoconfig_dialog.py" line="128"/>
        <source>Go to the OAuth2 &amp;sign-in</source>
        <translation>Zur OAuth2-&amp;Anmeldung</translation>
    </message>
    <message>
        <location filename="../gui/autoconfig_dialog.py" line="153"/>
        <source>Looking up the settings for {address}…</source>
        <translation>Die Einstellungen für {address} werden ermittelt…</translation>
    </message>
    <message>
        <location filename="../gui/autoconfig_dialog.py" line="190"/>
        <source>The settings could not be looked up: {reason}</source>
        <translation>Die Einstellungen konnten nicht ermittelt werden: {reason}</translation>
    </message>
    <message>
        <location filename="../gui/autoconfig_dialog.py" line="205"/>
        <source>Cancelled.</source>
        <translation>Abgebrochen.</translation>
    </message>
    <message>
        <location filename="../gui/autoconfig_dialog.py" line="208"/>
        <source>No settings were found for {address}. Enter them by hand; the list below shows what was tried.</source>
        <translation>Für {address} wurden keine Einstellungen gefunden. Bitte geben Sie sie von Hand ein; die Liste unten zeigt, was versucht wurde.</translation>
    </message>
    <message>
        <location filename="../gui/autoconfig_dialog.py" line="219"/>
        <source>Settings for {address} from {source}:
{origin}</source>
        <translation>Einstellungen für {address} aus {source}:
{origin}</translation>
    </message>
    <message>
        <location filename="../gui/autoconfig_dialog.py" line="228"/>
        <source>This is a guess: check the settings before you apply them.</source>
        <translation>Dies ist eine Vermutung: Prüfen Sie die Einstellungen, bevor Sie sie übernehmen.</translation>
    </message>
    <message>
        <location filename="../gui/autoconfig_dialog.py" line="232"/>
        <source>These settings came over unencrypted HTTP ({url}): anyone on the way could have changed them. Check them before you apply them.</source>
        <translation>Diese Einstellungen kamen über unverschlüsseltes HTTP ({url}): Jeder auf dem Weg hätte sie ändern können. Prüfen Sie sie, bevor Sie sie übernehmen.</translation>
    </message>
    <message>
        <location filename="../gui/autoconfig_dialog.py" line="240"/>
        <source>Do &amp;not apply</source>
        <translation>&amp;Nicht übernehmen</translation>
    </message>
    <message>
        <location filename="../gui/autoconfig_dialog.py" line="243"/>
        <source>Nothing has been filled in yet: Apply fills in these settings.</source>
        <translation>Noch ist nichts eingetragen: „Übernehmen“ trägt diese Einstellungen ein.</translation>
    </message>
    <message>
        <location filename="../gui/autoconfig_dialog.py" line="250"/>
        <source>The settings have been filled in. This account signs in with OAuth2, without a password: enter the client ID of your organisation&apos;s app registration on the “OAuth2” card, then sign in there (“Sign in…”).</source>
        <translation>Die Einstellungen wurden eingetragen. Dieses Konto meldet sich mit OAuth2 an, ohne Passwort: Tragen Sie auf der Karte „OAuth2“ die Client-ID der App-Registrierung Ihrer Organisation ein und melden Sie sich dort an („Anmelden…“).</translation>
    </message>
    <message>
        <location filename="../gui/autoconfig_dialog.py" line="262"/>
        <source>The settings have been filled in. Passwords are never filled in: enter them yourself.</source>
        <translation>Die Einstellungen wurden eingetragen. Passwörter werden nie eingetragen: Bitte geben Sie sie selbst ein.</translation>
    </message>
    <message>
        <location filename="../gui/autoconfig_dialog.py" line="273"/>
        <source>POP3: {server}, port {port}, {security}, user name {username}</source>
        <translation>POP3: {server}, Port {port}, {security}, Benutzername {username}</translation>
    </message>
    <message>
        <location filename="../gui/autoconfig_dialog.py" line="279"/>
        <source>, SPA</source>
        <translation>, SPA</translation>
    </message>
    <message>
        <location filename="../gui/autoconfig_dialog.py" line="280"/>
        <source>, OAuth2</source>
        <translation>, OAuth2</translation>
    </message>
    <message>
        <location filename="../gui/autoconfig_dialog.py" line="284"/>
        <source>SMTP: none found (the outgoing server stays as it is)</source>
        <translation>SMTP: keiner gefunden (der Postausgangsserver bleibt, wie er ist)</translation>
    </message>
    <message>
        <location filename="../gui/autoconfig_dialog.py" line="288"/>
        <source>SMTP: {server}, port {port}, {security}, logon {method} as {username}</source>
        <translation>SMTP: {server}, Port {port}, {security}, Anmeldung {method} als {username}</translation>
    </message>
    <message>
        <location filename="../gui/autoconfig_dialog.py" line="299"/>
        <source>SMTP: {server}, port {port}, {security}, no logon</source>
        <translation>SMTP: {server}, Port {port}, {security}, ohne Anmeldung</translation>
    </message>
    <message>
        <location filename="../gui/autoconfig_dialog.py" line="308"/>
        <source>Fetched mail stays on the server (the provider advises it).</source>
        <translation>Abgeholte Mails bleiben auf dem Server (so empfiehlt es der Anbieter).</translation>
    </message>
    <message>
        <location filename="../gui/autoconfig_dialog.py" line="317"/>
        <source>Sign-in: OAuth2 at {provider}, no password</source>
        <translation>Anmeldung: OAuth2 bei {provider}, kein Passwort</translation>
    </message>
    <message>
        <location filename="../gui/autoconfig_dialog.py" line="340"/>
        <source>Cancelling…</source>
        <translation>Wird abgebrochen…</translation>
    </message>
</context>
<context>
    <name>Buttons</name>
    <message>
        <location filename="../gui/layout.py" line="58"/>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../gui/layout.py" line="59"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
</context>
<context>
    <name>CodePicker</name>
    <message>
        <location filename="../gui/picker.py" line="34"/>
        <source>Search code or name</source>
        <translation>Kürzel oder Name suchen</translation>
    </message>
    <message>
        <location filename="../gui/picker.py" line="35"/>
        <source>Search</source>
        <translation>Suche</translation>
    </message>
    <message>
        <location filename="../gui/picker.py" line="37"/>
        <source>&amp;Search:</source>
        <translation>&amp;Suche:</translation>
    </message>
</context>
<context>
    <name>ConnectionTestDialog</name>
    <message>
        <location filename="../gui/connection_test_dialog.py" line="34"/>
        <source>Connect</source>
        <translation>Verbinden</translation>
    </message>
    <message>
        <location filename="../gui/connection_test_dialog.py" line="35"/>
        <source>TLS (implicit)</source>
        <translation>TLS (implizit)</translation>
    </message>
    <message>
        <location filename="../gui/connection_test_dialog.py" line="36"/>
        <source>Greeting and capabilities</source>
        <translation>Begrüßung und Fähigkeiten</translation>
    </message>
    <message>
        <location filename="../gui/connection_test_dialog.py" line="37"/>
        <source>Start TLS</source>
        <translation>TLS starten</translation>
    </message>
    <message>
        <location filename="../gui/connection_test_dialog.py" line="38"/>
        <source>Log in</source>
        <translation>Anmelden</translation>
    </message>
    <message>
        <location filename="../gui/connection_test_dialog.py" line="39"/>
        <source>Open the mailbox</source>
        <translation>Postfach öffnen</translation>
    </message>
    <message>
        <location filename="../gui/connection_test_dialog.py" line="40"/>
        <source>Greeting (EHLO)</source>
        <translation>Begrüßung (EHLO)</translation>
    </message>
    <message>
        <location filename="../gui/connection_test_dialog.py" line="41"/>
        <source>Authenticate</source>
        <translation>Authentifizieren</translation>
    </message>
    <message>
        <location filename="../gui/connection_test_dialog.py" line="42"/>
        <source>Send a test message</source>
        <translation>Testnachricht senden</translation>
    </message>
    <message>
        <location filename="../gui/connection_test_dialog.py" line="43"/>
        <source>Log off</source>
        <translation>Abmelden</translation>
    </message>
    <message>
        <location filename="../gui/connection_test_dialog.py" line="44"/>
        <source>Password login</source>
        <translation>Anmeldung mit Passwort</translation>
    </message>
    <message>
        <location filename="../gui/connection_test_dialog.py" line="47"/>
        <source>running…</source>
        <translation>läuft…</translation>
    </message>
    <message>
        <location filename="../gui/connection_test_dialog.py" line="48"/>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../gui/connection_test_dialog.py" line="49"/>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <location filename="../gui/connection_test_dialog.py" line="50"/>
        <source>warning</source>
        <translation>Warnung</translation>
    </message>
    <message>
        <location filename="../gui/connection_test_dialog.py" line="73"/>
        <source>Test account settings</source>
        <translation>Kontoeinstellungen testen</translation>
    </message>
    <message>
        <location filename="../gui/connection_test_dialog.py" line="82"/>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <location filename="../gui/connection_test_dialog.py" line="82"/>
        <source>Step</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <location filename="../gui/connection_test_dialog.py" line="82"/>
        <source>Result</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <location filename="../gui/connection_test_dialog.py" line="82"/>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <location filename="../gui/connection_test_dialog.py" line="86"/>
        <source>&amp;Trust this certificate</source>
        <translation>Diesem Zertifikat &amp;vertrauen</translation>
    </message>
    <message>
        <location filename="../gui/connection_test_dialog.py" line="93"/>
        <source>Switch to OAuth&amp;2…</source>
        <translation>Auf OAuth&amp;2 umstellen…</translation>
    </message>
    <message>
        <location filename="../gui/connection_test_dialog.py" line="97"/>
        <source>Test &amp;again</source>
        <translation>&amp;Erneut testen</translation>
    </message>
    <message>
        <location filename="../gui/connection_test_dialog.py" line="124"/>
        <source>Testing…</source>
        <translation>Wird getestet…</translation>
    </message>
    <message>
        <location filename="../gui/connection_test_dialog.py" line="167"/>
        <source>The test could not run: {reason}</source>
        <translation>Der Test konnte nicht laufen: {reason}</translation>
    </message>
    <message>
        <location filename="../gui/connection_test_dialog.py" line="177"/>
        <source>All steps passed.</source>
        <translation>Alle Schritte erfolgreich.</translation>
    </message>
    <message>
        <location filename="../gui/connection_test_dialog.py" line="184"/>
        <source>Certificate of {host}:
Subject: {subject}
Issuer: {issuer}
Valid from {start} to {end}
SHA-256: {sha256}</source>
        <translation>Zertifikat von {host}:
Inhaber: {subject}
Aussteller: {issuer}
Gültig von {start} bis {end}
SHA-256: {sha256}</translation>
    </message>
    <message>
        <location filename="../gui/connection_test_dialog.py" line="196"/>
        <source>&amp;Trust this certificate for {server}</source>
        <translation>Diesem Zertifikat für {server} &amp;vertrauen</translation>
    </message>
    <message>
        <location filename="../gui/connection_test_dialog.py" line="241"/>
        <source>Cancelling…</source>
        <translation>Wird abgebrochen…</translation>
    </message>
</context>
<context>
    <name>DirectoryDialog</name>
    <message>
        <location filename="../gui/directory_dialog.py" line="42"/>
        <source>Operators</source>
        <translation>Bediener</translation>
    </message>
    <message>
        <location filename="../gui/directory_dialog.py" line="42"/>
        <source>Workgroups</source>
        <translation>Arbeitsgruppen</translation>
    </message>
    <message>
        <location filename="../gui/directory_dialog.py" line="45"/>
        <location filename="../gui/directory_dialog.py" line="53"/>
        <source>Code</source>
        <translation>Kürzel</translation>
    </message>
    <message>
        <location filename="../gui/directory_dialog.py" line="45"/>
        <location filename="../gui/directory_dialog.py" line="56"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../gui/directory_dialog.py" line="57"/>
        <source>&amp;Code:</source>
        <translation>&amp;Kürzel:</translation>
    </message>
    <message>
        <location filename="../gui/directory_dialog.py" line="57"/>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <location filename="../gui/directory_dialog.py" line="60"/>
        <source>&amp;Add</source>
        <translation>&amp;Hinzufügen</translation>
    </message>
    <message>
        <location filename="../gui/directory_dialog.py" line="63"/>
        <source>&amp;Remove</source>
        <translation>&amp;Entfernen</translation>
    </message>
    <message>
        <location filename="../gui/directory_dialog.py" line="80"/>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <location filename="../gui/directory_dialog.py" line="115"/>
        <source>Select a code to remove.</source>
        <translation>Wählen Sie das Kürzel, das entfernt werden soll.</translation>
    </message>
    <message>
        <location filename="../gui/directory_dialog.py" line="145"/>
        <source>{code} is in the list already.</source>
        <translation>{code} steht schon in der Liste.</translation>
    </message>
    <message>
        <location filename="../gui/directory_dialog.py" line="148"/>
        <source>{code} is still assigned to account(s) {numbers}; remove it from them first.</source>
        <translation>{code} ist noch E-Mail-Konten zugewiesen ({numbers}); entfernen Sie die Zuweisung dort zuerst.</translation>
    </message>
    <message>
        <location filename="../gui/directory_dialog.py" line="151"/>
        <source>{code} is not in the list (any more).</source>
        <translation>{code} steht nicht (mehr) in der Liste.</translation>
    </message>
</context>
<context>
    <name>ErrorDialog</name>
    <message>
        <location filename="../gui/error_dialog.py" line="49"/>
        <source>Unexpected error</source>
        <translation>Unerwarteter Fehler</translation>
    </message>
    <message>
        <location filename="../gui/error_dialog.py" line="52"/>
        <source>An unexpected error occurred: {part} failed.</source>
        <translation>Ein unerwarteter Fehler ist aufgetreten: {part} ist fehlgeschlagen.</translation>
    </message>
    <message>
        <location filename="../gui/error_dialog.py" line="57"/>
        <source>You can go on working. The details are in the log file:
{path}</source>
        <translation>Sie können weiterarbeiten. Die Einzelheiten stehen in der Protokolldatei:
{path}</translation>
    </message>
    <message>
        <location filename="../gui/error_dialog.py" line="62"/>
        <source>You can go on working. No log file could be written.</source>
        <translation>Sie können weiterarbeiten. Es konnte keine Protokolldatei geschrieben werden.</translation>
    </message>
</context>
<context>
    <name>FetchDialog</name>
    <message>
        <location filename="../gui/fetch_dialog.py" line="78"/>
        <source>Fetch mail</source>
        <translation>E-Mails abrufen</translation>
    </message>
    <message>
        <location filename="../gui/fetch_dialog.py" line="90"/>
        <source>Into the inboxes under {folder}</source>
        <translation>In die Posteingänge unter {folder}</translation>
    </message>
    <message>
        <location filename="../gui/fetch_dialog.py" line="94"/>
        <source>Number</source>
        <translation>Nummer</translation>
    </message>
    <message>
        <location filename="../gui/fetch_dialog.py" line="94"/>
        <source>E-mail address</source>
        <translation>E-Mail-Adresse</translation>
    </message>
    <message>
        <location filename="../gui/fetch_dialog.py" line="94"/>
        <source>Messages</source>
        <translation>Nachrichten</translation>
    </message>
    <message>
        <location filename="../gui/fetch_dialog.py" line="94"/>
        <source>Result</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <location filename="../gui/fetch_dialog.py" line="131"/>
        <source>not fetched: {reason}</source>
        <translation>nicht abgerufen: {reason}</translation>
    </message>
    <message>
        <location filename="../gui/fetch_dialog.py" line="133"/>
        <source>waiting…</source>
        <translation>wartet…</translation>
    </message>
    <message>
        <location filename="../gui/fetch_dialog.py" line="141"/>
        <source>None of these accounts is fetched over POP3.</source>
        <translation>Keines dieser Konten wird über POP3 abgerufen.</translation>
    </message>
    <message>
        <location filename="../gui/fetch_dialog.py" line="146"/>
        <source>Fetching…</source>
        <translation>Abruf läuft…</translation>
    </message>
    <message>
        <location filename="../gui/fetch_dialog.py" line="183"/>
        <source>fetching…</source>
        <translation>wird abgerufen…</translation>
    </message>
    <message>
        <location filename="../gui/fetch_dialog.py" line="192"/>
        <source>%v of %m</source>
        <translation>%v von %m</translation>
    </message>
    <message>
        <location filename="../gui/fetch_dialog.py" line="203"/>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <location filename="../gui/fetch_dialog.py" line="225"/>
        <location filename="../gui/fetch_dialog.py" line="231"/>
        <source>failed: {reason}</source>
        <translation>fehlgeschlagen: {reason}</translation>
    </message>
    <message numerus="yes">
        <location filename="../gui/fetch_dialog.py" line="232"/>
        <source>ok, %n new</source>
        <translation>
            <numerusform>ok, %n neu</numerusform>
            <numerusform>ok, %n neu</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../gui/fetch_dialog.py" line="234"/>
        <source>{fetched} new, {copies} copies into the inboxes, {removed} removed from the server, in {seconds} s</source>
        <translation>{fetched} neu, {copies} Kopien in die Posteingänge, {removed} vom Server entfernt, in {seconds} s</translation>
    </message>
    <message numerus="yes">
        <location filename="../gui/fetch_dialog.py" line="251"/>
        <source>%n new message(s) fetched.</source>
        <translation>
            <numerusform>%n neue Nachricht abgerufen.</numerusform>
            <numerusform>%n neue Nachrichten abgerufen.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../gui/fetch_dialog.py" line="253"/>
        <source>Cancelled; what was fetched until then is in the inboxes.</source>
        <translation>Abgebrochen; was bis dahin abgerufen wurde, liegt in den Posteingängen.</translation>
    </message>
    <message numerus="yes">
        <location filename="../gui/fetch_dialog.py" line="255"/>
        <source>%n account(s) failed:</source>
        <translation>
            <numerusform>%n Konto fehlgeschlagen:</numerusform>
            <numerusform>%n Konten fehlgeschlagen:</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../gui/fetch_dialog.py" line="267"/>
        <source>Cancelling…</source>
        <translation>Wird abgebrochen…</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../gui/main_window.py" line="83"/>
        <location filename="../gui/main_window.py" line="120"/>
        <source>E-mail accounts</source>
        <translation>E-Mail-Konten</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="87"/>
        <source>Filter by number, address, server, operator…</source>
        <translation>Nach Nummer, Adresse, Server, Bediener filtern…</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="88"/>
        <source>Filter</source>
        <translation>Filter</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="89"/>
        <source>&amp;Filter:</source>
        <translation>&amp;Filter:</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="94"/>
        <source>&amp;New…</source>
        <translation>&amp;Neu…</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="95"/>
        <source>&amp;Edit…</source>
        <translation>&amp;Bearbeiten…</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="96"/>
        <source>D&amp;uplicate…</source>
        <translation>D&amp;uplizieren…</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="97"/>
        <source>&amp;Delete</source>
        <translation>&amp;Löschen</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="98"/>
        <source>Fe&amp;tch now</source>
        <translation>&amp;Jetzt abrufen</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="99"/>
        <source>&amp;Operators…</source>
        <translation>Bedien&amp;er…</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="100"/>
        <source>&amp;Workgroups…</source>
        <translation>&amp;Arbeitsgruppen…</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="110"/>
        <source>Fetch the mail of the selected accounts now</source>
        <translation>Die E-Mails der ausgewählten Konten jetzt abrufen</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="189"/>
        <source>Some old passwords could not be removed from the keyring yet: {why}</source>
        <translation>Einige alte Passwörter konnten noch nicht aus dem Schlüsselbund entfernt werden: {why}</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="197"/>
        <source>No e-mail accounts yet</source>
        <translation>Noch keine E-Mail-Konten</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="201"/>
        <source>Set up the first mail account: where mail is fetched from (POP3), where it is sent through (SMTP), and which operators receive it.</source>
        <translation>Richten Sie das erste E-Mail-Konto ein: woher die Mails abgerufen werden (POP3), worüber sie versandt werden (SMTP) und welche Bediener sie erhalten.</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="209"/>
        <source>New e-mail account…</source>
        <translation>Neues E-Mail-Konto…</translation>
    </message>
    <message numerus="yes">
        <location filename="../gui/main_window.py" line="282"/>
        <source>%n e-mail account(s)</source>
        <translation>
            <numerusform>%n E-Mail-Konto</numerusform>
            <numerusform>%n E-Mail-Konten</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../gui/main_window.py" line="284"/>
        <source>{shown} of %n e-mail account(s)</source>
        <translation>
            <numerusform>{shown} von %n E-Mail-Konto</numerusform>
            <numerusform>{shown} von %n E-Mail-Konten</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="328"/>
        <source>E-mail account not readable</source>
        <translation>E-Mail-Konto nicht lesbar</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="330"/>
        <source>E-mail account {number} was saved by a newer release of mailaccounts (document version {version}; this release knows versions up to {supported}). Open it with the newer release.</source>
        <translation>Das E-Mail-Konto {number} wurde von einer neueren Version von mailaccounts gespeichert (Dokumentversion {version}; diese Version kennt Versionen bis {supported}). Öffnen Sie es mit der neueren Version.</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="354"/>
        <source>Passwords are not copied; enter them for the new account.</source>
        <translation>Passwörter werden nicht kopiert; geben Sie sie für das neue Konto ein.</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="365"/>
        <source>Delete e-mail account</source>
        <translation>E-Mail-Konto löschen</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="367"/>
        <source>Delete e-mail account {number} ({address})?

Its stored passwords are removed from the keyring as well.</source>
        <translation>E-Mail-Konto {number} ({address}) löschen?

Seine gespeicherten Passwörter werden ebenfalls aus dem Schlüsselbund entfernt.</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="374"/>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="375"/>
        <source>Keep</source>
        <translation>Behalten</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="393"/>
        <source>E-mail account {number} deleted.</source>
        <translation>E-Mail-Konto {number} gelöscht.</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="396"/>
        <source>Some passwords stay in the keyring until the next start: {why}</source>
        <translation>Einige Passwörter bleiben bis zum nächsten Start im Schlüsselbund: {why}</translation>
    </message>
    <message>
        <location filename="../gui/main_window.py" line="402"/>
        <source>Not deleted</source>
        <translation>Nicht gelöscht</translation>
    </message>
</context>
<context>
    <name>OAuth2Panel</name>
    <message>
        <location filename="../gui/oauth2_panel.py" line="62"/>
        <source>&amp;Sign in…</source>
        <translation>&amp;Anmelden…</translation>
    </message>
    <message>
        <location filename="../gui/oauth2_panel.py" line="64"/>
        <source>Sign in with a &amp;code…</source>
        <translation>Mit einem &amp;Code anmelden…</translation>
    </message>
    <message>
        <location filename="../gui/oauth2_panel.py" line="66"/>
        <source>C&amp;heck sign-in</source>
        <translation>Anmeldung &amp;prüfen</translation>
    </message>
    <message>
        <location filename="../gui/oauth2_panel.py" line="68"/>
        <source>Sign &amp;out</source>
        <translation>Ab&amp;melden</translation>
    </message>
    <message>
        <location filename="../gui/oauth2_panel.py" line="70"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../gui/oauth2_panel.py" line="99"/>
        <source>Signed out; saved with the account.</source>
        <translation>Abgemeldet; wird mit dem Konto gespeichert.</translation>
    </message>
    <message>
        <location filename="../gui/oauth2_panel.py" line="101"/>
        <source>Signed in; saved with the account.</source>
        <translation>Angemeldet; wird mit dem Konto gespeichert.</translation>
    </message>
    <message>
        <location filename="../gui/oauth2_panel.py" line="103"/>
        <source>Signed in (use “Check sign-in” to see as whom and that it works).</source>
        <translation>Angemeldet („Anmeldung prüfen“ zeigt, als wer, und ob sie funktioniert).</translation>
    </message>
    <message>
        <location filename="../gui/oauth2_panel.py" line="105"/>
        <source>Not signed in.</source>
        <translation>Nicht angemeldet.</translation>
    </message>
    <message>
        <location filename="../gui/oauth2_panel.py" line="124"/>
        <source>Open {url} on any device and enter the code {code}.</source>
        <translation>Öffnen Sie {url} auf einem beliebigen Gerät und geben Sie den Code {code} ein.</translation>
    </message>
    <message>
        <location filename="../gui/oauth2_panel.py" line="147"/>
        <source>Waiting for the sign-in in the browser…</source>
        <translation>Warte auf die Anmeldung im Browser…</translation>
    </message>
    <message>
        <location filename="../gui/oauth2_panel.py" line="164"/>
        <source>Signed in as {user}; saved with the account.</source>
        <translation>Angemeldet als {user}; wird mit dem Konto gespeichert.</translation>
    </message>
    <message>
        <location filename="../gui/oauth2_panel.py" line="179"/>
        <source>Checking the sign-in…</source>
        <translation>Anmeldung wird geprüft…</translation>
    </message>
    <message>
        <location filename="../gui/oauth2_panel.py" line="188"/>
        <source>Signed in as {user}; the sign-in works.</source>
        <translation>Angemeldet als {user}; die Anmeldung funktioniert.</translation>
    </message>
</context>
<context>
    <name>RunningDialog</name>
    <message>
        <location filename="../gui/running_dialog.py" line="29"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../gui/running_dialog.py" line="33"/>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
</context>
<context>
    <name>form</name>
    <message>
        <location filename="../gui/auth_dialog.py" line="71"/>
        <source>missing from the keyring – enter it again</source>
        <translation>fehlt im Schlüsselbund – bitte neu eingeben</translation>
    </message>
    <message>
        <location filename="../gui/auth_dialog.py" line="74"/>
        <source>stored – type to replace</source>
        <translation>gespeichert – zum Ändern neu eingeben</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="134"/>
        <source>E-mail number and address</source>
        <translation>E-Mail-Nummer und Adresse</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="136"/>
        <source>E-mail &amp;number:</source>
        <translation>E-Mail-&amp;Nummer:</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="137"/>
        <source>E-mail &amp;address:</source>
        <translation>E-Mail-&amp;Adresse:</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="138"/>
        <source>E&amp;xchange account</source>
        <translation>E&amp;xchange-Konto</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="143"/>
        <source>Incoming mail server (POP3) – access data</source>
        <translation>Posteingangsserver (POP3) – Zugangsdaten</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="145"/>
        <source>POP3 &amp;server:</source>
        <translation>POP3-&amp;Server:</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="146"/>
        <source>P&amp;ort:</source>
        <translation>P&amp;ort:</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="147"/>
        <location filename="../model/form.py" line="245"/>
        <location filename="../model/form.py" line="276"/>
        <source>&amp;User name:</source>
        <translation>&amp;Benutzername:</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="148"/>
        <location filename="../model/form.py" line="251"/>
        <location filename="../model/form.py" line="279"/>
        <source>&amp;Password:</source>
        <translation>&amp;Passwort:</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="154"/>
        <source>SSL/TLS re&amp;quired</source>
        <translation>SSL/TLS er&amp;forderlich</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="158"/>
        <source>Log on with OAut&amp;h2 (Microsoft 365, Google, …)</source>
        <translation>Mit OAut&amp;h2 anmelden (Microsoft 365, Google, …)</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="166"/>
        <source>Outgoing mail server (SMTP) – access data</source>
        <translation>Postausgangsserver (SMTP) – Zugangsdaten</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="168"/>
        <source>Separate SMTP access &amp;data</source>
        <translation>S&amp;MTP-Eingabe (abweichende Zugangsdaten)</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="172"/>
        <source>SMTP s&amp;erver:</source>
        <translation>SMTP-Ser&amp;ver:</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="178"/>
        <source>Server na&amp;me:</source>
        <translation>Servernam&amp;e:</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="181"/>
        <source>Po&amp;rt:</source>
        <translation>Po&amp;rt:</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="185"/>
        <source>SSL/TLS requ&amp;ired</source>
        <translation>SSL/TLS erfor&amp;derlich</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="193"/>
        <source>SMTP authentication</source>
        <translation>SMTP-Authentifizierung</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="208"/>
        <source>Operator and workgroup assignment</source>
        <translation>Bediener- und Arbeitsgruppenzuweisung</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="152"/>
        <source>&amp;Log on using secure password authentication (SPA)</source>
        <translation>Anmeldung mit gesicherter &amp;Kennwortauthentifizierung (SPA)</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="198"/>
        <source>Outgoing server requires authenti&amp;cation</source>
        <translation>Postausgangsserver erfordert Au&amp;thentifizierung</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="210"/>
        <source>Opera&amp;tors:</source>
        <translation>Bed&amp;iener:</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="211"/>
        <source>&amp;Workgroups:</source>
        <translation>Arbeits&amp;gruppen:</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="216"/>
        <source>Access data</source>
        <translation>&amp;Zugangsdaten</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="259"/>
        <source>Exchange server</source>
        <translation>Exchange-Server</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="264"/>
        <source>&amp;Server or EWS URL:</source>
        <translation>&amp;Server oder EWS-URL:</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="270"/>
        <source>&amp;Domain:</source>
        <translation>&amp;Domäne:</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="283"/>
        <source>Exchange</source>
        <translation>Exchange</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="284"/>
        <source>CRM</source>
        <translation>CRM</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="285"/>
        <source>From Exchange to the CRM</source>
        <translation>Von Exchange ins CRM</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="286"/>
        <source>From the CRM to Exchange</source>
        <translation>Vom CRM nach Exchange</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="287"/>
        <source>Ask the operator</source>
        <translation>Bediener fragen</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="288"/>
        <source>No initial synchronisation</source>
        <translation>Keine erste Synchronisation</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="292"/>
        <source>Areas to synchronise</source>
        <translation>Zu synchronisierende Bereiche</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="306"/>
        <source>Synchronisation</source>
        <translation>Synchronisation</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="294"/>
        <source>&amp;Mails</source>
        <translation>&amp;Mails</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="295"/>
        <source>&amp;Contacts</source>
        <translation>&amp;Kontakte</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="299"/>
        <source>&amp;Appointments</source>
        <translation>&amp;Termine</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="301"/>
        <source>Ca&amp;tegories</source>
        <translation>Kate&amp;gorien</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="311"/>
        <source>In a conflict, &amp;keep:</source>
        <translation>Bei Konflikten &amp;gewinnt:</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="317"/>
        <source>Synchronisation c&amp;lient number:</source>
        <translation>Synchronisations-&amp;Mandant:</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="323"/>
        <source>&amp;First synchronisation after the password prompt:</source>
        <translation>&amp;Erste Synchronisation nach der Passwortabfrage:</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="221"/>
        <source>Auth Login – simple authentication</source>
        <translation>Auth Login – einfache Authentifizierung</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="222"/>
        <source>CRAM-MD5 – encrypted authentication</source>
        <translation>CRAM-MD5 – verschlüsselte Authentifizierung</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="223"/>
        <source>OAuth2 – sign-in at the provider</source>
        <translation>OAuth2 – Anmeldung beim Anbieter</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="228"/>
        <source>Logon method and account information</source>
        <translation>Anmeldeverfahren und Kontoinformationen</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="233"/>
        <source>Logon &amp;method:</source>
        <translation>Anmelde&amp;verfahren:</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="239"/>
        <source>U&amp;se same settings as my incoming mail server</source>
        <translation>&amp;Gleiche Anmeldedaten wie Posteingangsserver</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="332"/>
        <source>Exchange – access data</source>
        <translation>Exchange – Zugangsdaten</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="338"/>
        <source>Exchange – synchronisation</source>
        <translation>Exchange – Synchronisation</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="347"/>
        <source>Fetching mail into the inboxes</source>
        <translation>E-Mails in die Posteingänge abrufen</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="349"/>
        <source>&amp;Fetch mail for this account</source>
        <translation>E-&amp;Mails für dieses Konto abrufen</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="353"/>
        <source>&amp;Leave a copy of each message on the server</source>
        <translation>Eine &amp;Kopie jeder Nachricht auf dem Server lassen</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="358"/>
        <source>&amp;Remove from the server after days:</source>
        <translation>Vom Server &amp;entfernen nach (Tagen):</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="365"/>
        <source>Schedule</source>
        <translation>Zeitsteuerung</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="370"/>
        <source>Fetch &amp;every (minutes):</source>
        <translation>Abruf &amp;alle (Minuten):</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="372"/>
        <source>and at these &amp;times (HH:MM):</source>
        <translation>und zu diesen &amp;Uhrzeiten (HH:MM):</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="377"/>
        <source>Fetching</source>
        <translation>Abruf</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="383"/>
        <source>Microsoft 365 / Exchange Online</source>
        <translation>Microsoft 365 / Exchange Online</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="384"/>
        <source>Google</source>
        <translation>Google</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="385"/>
        <source>Another provider</source>
        <translation>Anderer Anbieter</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="390"/>
        <source>Sign-in with OAuth2</source>
        <translation>Anmeldung mit OAuth2</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="395"/>
        <source>&amp;Provider:</source>
        <translation>&amp;Anbieter:</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="401"/>
        <source>&amp;Tenant (directory):</source>
        <translation>&amp;Mandant (Verzeichnis):</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="404"/>
        <source>&amp;Client ID:</source>
        <translation>&amp;Client-ID:</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="408"/>
        <source>Client s&amp;ecret (if the provider issued one):</source>
        <translation>Client-&amp;Secret (falls der Anbieter eines ausgegeben hat):</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="413"/>
        <source>&amp;Authorization URL:</source>
        <translation>A&amp;utorisierungs-URL:</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="419"/>
        <source>T&amp;oken URL:</source>
        <translation>T&amp;oken-URL:</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="425"/>
        <source>&amp;Device code URL:</source>
        <translation>&amp;Gerätecode-URL:</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="431"/>
        <source>&amp;Scopes:</source>
        <translation>&amp;Bereiche (Scopes):</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="439"/>
        <source>OAuth2</source>
        <translation>OAuth2</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="445"/>
        <source>implicit SSL/TLS</source>
        <translation>implizites SSL/TLS</translation>
    </message>
    <message>
        <location filename="../model/form.py" line="446"/>
        <source>STARTTLS</source>
        <translation>STARTTLS</translation>
    </message>
    <message>
        <location filename="../gui/binding.py" line="122"/>
        <source>ASCII form: {host}</source>
        <translation>ASCII-Schreibweise: {host}</translation>
    </message>
</context>
<context>
    <name>problems</name>
    <message>
        <location filename="../model/messages.py" line="19"/>
        <source>is required</source>
        <translation>ist erforderlich</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="20"/>
        <source>must be {expected}</source>
        <translation>muss {expected} sein</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="21"/>
        <source>must be one of {choices}</source>
        <translation>muss eines von {choices} sein</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="22"/>
        <source>is not a known field</source>
        <translation>ist kein bekanntes Feld</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="23"/>
        <source>must be exactly 4 digits, 0001 to 9999</source>
        <translation>muss genau 4 Ziffern haben, 0001 bis 9999</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="24"/>
        <source>account {value} exists already</source>
        <translation>Konto {value} gibt es bereits</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="25"/>
        <source>cannot be changed once the account is saved (duplicate it instead)</source>
        <translation>kann nach dem Speichern nicht mehr geändert werden (stattdessen duplizieren)</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="28"/>
        <source>is not a valid e-mail address: {reason}</source>
        <translation>ist keine gültige E-Mail-Adresse: {reason}</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="29"/>
        <source>is not a valid host name, IPv4 or IPv6 address: {reason}</source>
        <translation>ist kein gültiger Hostname und keine gültige IPv4- oder IPv6-Adresse: {reason}</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="32"/>
        <source>is not a valid host name or EWS URL: {reason}</source>
        <translation>ist kein gültiger Hostname und keine gültige EWS-URL: {reason}</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="33"/>
        <source>must be an https:// address: sign-in codes and tokens travel there</source>
        <translation>muss eine https://-Adresse sein: Anmeldecodes und Tokens werden dorthin gesendet</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="36"/>
        <source>is not a valid https:// address: {reason}</source>
        <translation>ist keine gültige https://-Adresse: {reason}</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="37"/>
        <source>must be a port number from 1 to 65535</source>
        <translation>muss eine Portnummer von 1 bis 65535 sein</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="38"/>
        <source>“{value}” is not a valid code (1–20 letters, digits, “_”, “-” or “.”)</source>
        <translation>„{value}“ ist kein gültiges Kürzel (1–20 Buchstaben, Ziffern, „_“, „-“ oder „.“)</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="42"/>
        <source>at least one operator is needed, or no mail can be fetched</source>
        <translation>mindestens ein Bediener ist nötig, sonst können keine Mails abgerufen werden</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="45"/>
        <source>operator “{value}” is not in the directory</source>
        <translation>Bediener „{value}“ ist nicht im Verzeichnis</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="46"/>
        <source>workgroup “{value}” is not in the directory</source>
        <translation>Arbeitsgruppe „{value}“ ist nicht im Verzeichnis</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="49"/>
        <source>{count} operators: each inbox receives its own physical copy of every mail</source>
        <translation>{count} Bediener: jeder Posteingang erhält eine eigene, physikalisch getrennte Kopie jeder Mail (nicht empfohlen)</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="53"/>
        <source>{count} workgroups: each inbox receives its own physical copy of every mail</source>
        <translation>{count} Arbeitsgruppen: jeder Posteingang erhält eine eigene, physikalisch getrennte Kopie jeder Mail</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="57"/>
        <source>the password travels unencrypted: choose SSL/TLS or STARTTLS</source>
        <translation>das Passwort wird unverschlüsselt übertragen: wählen Sie SSL/TLS oder STARTTLS</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="60"/>
        <source>is longer than {max} characters</source>
        <translation>ist länger als {max} Zeichen</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="61"/>
        <source>must be 1 to 10 digits</source>
        <translation>muss aus 1 bis 10 Ziffern bestehen</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="62"/>
        <source>“{value}” cannot name an inbox folder (“.”, “..”, a trailing dot or a name Windows reserves, such as CON or NUL); choose another code</source>
        <translation>„{value}“ kann keinen Posteingangsordner benennen („.“, „..“, ein Punkt am Ende oder ein von Windows reservierter Name wie CON oder NUL); wählen Sie ein anderes Kürzel</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="67"/>
        <source>“{value}” is not a time of day (HH:MM, 24 hours)</source>
        <translation>„{value}“ ist keine Uhrzeit (HH:MM, 24 Stunden)</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="70"/>
        <source>must be a whole number from {low} to {high}</source>
        <translation>muss eine ganze Zahl von {low} bis {high} sein</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="71"/>
        <source>deleting after some days applies only when mail is left on the server</source>
        <translation>das Entfernen nach Tagen gilt nur, wenn Mails auf dem Server bleiben</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="74"/>
        <source>contains control characters</source>
        <translation>enthält Steuerzeichen</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="75"/>
        <source>must not contain line breaks or NUL characters</source>
        <translation>darf keine Zeilenumbrüche oder NUL-Zeichen enthalten</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="78"/>
        <source>testing Exchange accounts is not available yet</source>
        <translation>Exchange-Konten können noch nicht getestet werden</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="82"/>
        <source>the host name {host} was not found (DNS)</source>
        <translation>der Hostname {host} wurde nicht gefunden (DNS)</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="83"/>
        <source>{host}:{port} refused the connection (nothing listens there)</source>
        <translation>{host}:{port} hat die Verbindung abgelehnt (dort lauscht nichts)</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="86"/>
        <source>could not connect to {host}:{port}: {reason}</source>
        <translation>keine Verbindung zu {host}:{port}: {reason}</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="89"/>
        <source>no answer from {host} within {seconds} s</source>
        <translation>keine Antwort von {host} innerhalb von {seconds} s</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="90"/>
        <source>the server closed the connection: {reason}</source>
        <translation>der Server hat die Verbindung geschlossen: {reason}</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="91"/>
        <source>the TLS handshake with {host} failed: {reason}</source>
        <translation>der TLS-Verbindungsaufbau mit {host} ist fehlgeschlagen: {reason}</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="94"/>
        <source>the certificate of {host} is not trusted: {reason}</source>
        <translation>dem Zertifikat von {host} wird nicht vertraut: {reason}</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="97"/>
        <source>the certificate is not valid for the name {host}: {reason}</source>
        <translation>das Zertifikat gilt nicht für den Namen {host}: {reason}</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="100"/>
        <source>the certificate of {host} has expired or is not valid yet: {reason}</source>
        <translation>das Zertifikat von {host} ist abgelaufen oder noch nicht gültig: {reason}</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="103"/>
        <source>the certificate of {host} is not the one trusted for this account; it has changed</source>
        <translation>das Zertifikat von {host} ist nicht das für dieses Konto vertraute; es hat sich geändert</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="107"/>
        <source>{host} does not offer STARTTLS, so no password was sent</source>
        <translation>{host} bietet kein STARTTLS an, daher wurde kein Passwort gesendet</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="110"/>
        <source>the server refused to start TLS: {text}</source>
        <translation>der Server hat den Start von TLS abgelehnt: {text}</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="111"/>
        <source>the server does not offer {mechanism}; it offers: {offered}</source>
        <translation>der Server bietet {mechanism} nicht an; er bietet: {offered}</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="114"/>
        <source>the server rejected the login: {text}</source>
        <translation>der Server hat die Anmeldung abgelehnt: {text}</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="115"/>
        <source>no password is stored or typed ({field})</source>
        <translation>kein Passwort gespeichert oder eingegeben ({field})</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="116"/>
        <source>unexpected answer from the server: {text}</source>
        <translation>unerwartete Antwort des Servers: {text}</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="117"/>
        <source>the server refused the test message: {text}</source>
        <translation>der Server hat die Testnachricht abgelehnt: {text}</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="118"/>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="119"/>
        <source>must be a SHA-256 fingerprint (64 hexadecimal digits)</source>
        <translation>muss ein SHA-256-Fingerabdruck sein (64 Hexadezimalziffern)</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="122"/>
        <source>{field} contains a line break or NUL character and was not sent</source>
        <translation>{field} enthält einen Zeilenumbruch oder ein NUL-Zeichen und wurde nicht gesendet</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="125"/>
        <source>the server does not offer SMTPUTF8: addresses with non-ASCII characters are not accepted</source>
        <translation>der Server bietet kein SMTPUTF8 an: Adressen mit Umlauten oder anderen Nicht-ASCII-Zeichen werden nicht angenommen</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="129"/>
        <source>the server&apos;s reply is too long (more than {lines} lines, {bytes} bytes or {line_bytes} bytes in one line); the test stopped reading it</source>
        <translation>die Antwort des Servers ist zu lang (mehr als {lines} Zeilen, {bytes} Bytes oder {line_bytes} Bytes in einer Zeile); der Test hat das Lesen abgebrochen</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="134"/>
        <source>{host} did not finish this step within {seconds} s: its answer comes too slowly</source>
        <translation>{host} hat diesen Schritt nicht innerhalb von {seconds} s abgeschlossen: die Antwort kommt zu langsam</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="139"/>
        <source>signing in with OAuth2 needs the OAuth2 settings (provider and client ID)</source>
        <translation>die Anmeldung mit OAuth2 braucht die OAuth2-Einstellungen (Anbieter und Client-ID)</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="142"/>
        <source>OAuth2 and SPA (NTLM) exclude each other: choose one</source>
        <translation>OAuth2 und SPA (NTLM) schließen einander aus: wählen Sie eines</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="145"/>
        <source>the OAuth2 sign-in is missing, expired or was revoked: sign in again</source>
        <translation>die OAuth2-Anmeldung fehlt, ist abgelaufen oder wurde widerrufen: melden Sie sich erneut an</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="148"/>
        <source>OAuth2 sign-in failed: {reason}</source>
        <translation>OAuth2-Anmeldung fehlgeschlagen: {reason}</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="150"/>
        <source>{host}: Microsoft 365 no longer accepts passwords for POP3 (basic authentication is off since 2022/23): switch the account to OAuth2</source>
        <translation>{host}: Microsoft 365 nimmt für POP3 keine Passwörter mehr an (die Standardauthentifizierung ist seit 2022/23 abgeschaltet): stellen Sie das Konto auf OAuth2 um</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="155"/>
        <source>{host}: Microsoft 365 turns password login for SMTP (SMTP AUTH) off by default from the end of December 2026: switch the account to OAuth2</source>
        <translation>{host}: Microsoft 365 schaltet die Anmeldung mit Passwort für SMTP (SMTP AUTH) ab Ende Dezember 2026 standardmäßig ab: stellen Sie das Konto auf OAuth2 um</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="160"/>
        <source>{host}: Google no longer accepts passwords here (Google Workspace since September 2024, other accounts only with an app password): switch the account to OAuth2</source>
        <translation>{host}: Google nimmt hier keine Passwörter mehr an (Google Workspace seit September 2024, andere Konten nur noch mit einem App-Passwort): stellen Sie das Konto auf OAuth2 um</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="166"/>
        <source>{provider} no longer accepts passwords for this server: switch the account to OAuth2 (the server said: {text})</source>
        <translation>{provider} nimmt für diesen Server keine Passwörter mehr an: stellen Sie das Konto auf OAuth2 um (Antwort des Servers: {text})</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="171"/>
        <source>the OAuth2 provider {host} did not answer in full within {seconds} s</source>
        <translation>der OAuth2-Anbieter {host} hat nicht innerhalb von {seconds} s vollständig geantwortet</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="174"/>
        <source>the OAuth2 provider {host} answered with more than {max} KiB; the answer was refused</source>
        <translation>der OAuth2-Anbieter {host} hat mit mehr als {max} KiB geantwortet; die Antwort wurde abgelehnt</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="178"/>
        <source>the OAuth2 provider answered without an access token: not signed in</source>
        <translation>der OAuth2-Anbieter hat ohne Zugriffstoken geantwortet: nicht angemeldet</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="182"/>
        <source>this account is being fetched already (by another window or process)</source>
        <translation>dieses Konto wird bereits abgerufen (von einem anderen Fenster oder Prozess)</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="185"/>
        <source>Exchange accounts are not fetched over POP3</source>
        <translation>Exchange-Konten werden nicht über POP3 abgerufen</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="188"/>
        <source>no operator or workgroup is assigned, so there is no inbox to fetch into</source>
        <translation>kein Bediener und keine Arbeitsgruppe zugewiesen, daher gibt es keinen Posteingang für den Abruf</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="191"/>
        <source>the server cannot tell its messages apart (no UIDL), so mail cannot be left on it: fetch with removal from the server instead</source>
        <translation>der Server kann seine Nachrichten nicht unterscheiden (kein UIDL), daher können Mails nicht auf ihm bleiben: rufen Sie sie stattdessen mit Entfernen vom Server ab</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="196"/>
        <source>the server gives two messages the same id (UIDL), so mail cannot be left on it: fetch with removal from the server instead</source>
        <translation>der Server gibt zwei Nachrichten dieselbe Kennung (UIDL), daher können Mails nicht auf ihm bleiben: rufen Sie sie stattdessen mit Entfernen vom Server ab</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="201"/>
        <source>the disk of inbox {inbox} is full; nothing was removed from the server</source>
        <translation>der Datenträger des Posteingangs {inbox} ist voll; vom Server wurde nichts entfernt</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="204"/>
        <source>inbox {inbox} cannot be written ({reason}); nothing was removed from the server</source>
        <translation>in den Posteingang {inbox} kann nicht geschrieben werden ({reason}); vom Server wurde nichts entfernt</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="208"/>
        <source>{path} is a link, and the program follows no links below the mail root: nothing was fetched or removed. Remove the link; the next run makes a folder there</source>
        <translation>{path} ist eine Verknüpfung, und unterhalb des Mail-Stammordners folgt das Programm keinen Verknüpfungen: Es wurde nichts abgerufen und nichts entfernt. Entfernen Sie die Verknüpfung; der nächste Abruf legt dort einen Ordner an</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="213"/>
        <source>{path} is not a folder: nothing was fetched. Move it away; the next run makes the folder there</source>
        <translation>{path} ist kein Ordner: Es wurde nichts abgerufen. Verschieben Sie es an einen anderen Ort; der nächste Abruf legt dort den Ordner an</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="218"/>
        <source>{path} is a folder, but only files of unfinished runs belong there: nothing was fetched. Remove that folder</source>
        <translation>{path} ist ein Ordner, dort gehören aber nur Dateien unterbrochener Abrufe hin: Es wurde nichts abgerufen. Entfernen Sie diesen Ordner</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="223"/>
        <source>a message is larger than {limit} bytes and was not fetched</source>
        <translation>eine Nachricht ist größer als {limit} Bytes und wurde nicht abgerufen</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="226"/>
        <source>the server refused to hand out a message: {text}</source>
        <translation>der Server hat die Herausgabe einer Nachricht verweigert: {text}</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="229"/>
        <source>the server refused to remove a fetched message: {text} (it is not fetched again)</source>
        <translation>der Server hat das Entfernen einer abgerufenen Nachricht verweigert: {text} (sie wird nicht erneut abgerufen)</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="233"/>
        <source>the server kept the fetched messages it was to remove: {text} (the next run removes them; they are not fetched again)</source>
        <translation>der Server hat die abgerufenen Nachrichten, die er entfernen sollte, behalten: {text} (der nächste Abruf entfernt sie; sie werden nicht erneut abgerufen)</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="238"/>
        <source>the mailbox is in use by another session, try later: {text}</source>
        <translation>das Postfach wird von einer anderen Sitzung benutzt, später erneut versuchen: {text}</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="241"/>
        <source>the run stopped at an unexpected error ({reason}); nothing was removed from the server that is not in every inbox</source>
        <translation>der Abruf brach mit einem unerwarteten Fehler ab ({reason}); vom Server wurde nichts entfernt, was nicht in jedem Posteingang ist</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="246"/>
        <source>the account does not exist (any more)</source>
        <translation>das Konto existiert nicht (mehr)</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="247"/>
        <source>the account was deleted while it was being fetched; the copies already delivered stay in the inboxes</source>
        <translation>das Konto wurde gelöscht, während es abgerufen wurde; die bereits zugestellten Kopien bleiben in den Posteingängen</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="252"/>
        <source>the password could not be read: {reason}</source>
        <translation>das Passwort konnte nicht gelesen werden: {reason}</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="254"/>
        <source>running…</source>
        <translation>läuft…</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="255"/>
        <source>found: POP3 {pop3}, SMTP {smtp}</source>
        <translation>gefunden: POP3 {pop3}, SMTP {smtp}</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="256"/>
        <source>found over unencrypted HTTP ({url}): POP3 {pop3}, SMTP {smtp}</source>
        <translation>über unverschlüsseltes HTTP gefunden ({url}): POP3 {pop3}, SMTP {smtp}</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="259"/>
        <source>offers only IMAP, no POP3 server</source>
        <translation>bietet nur IMAP, keinen POP3-Server</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="260"/>
        <source>its POP3 servers need a logon method this program does not have ({methods})</source>
        <translation>seine POP3-Server verlangen ein Anmeldeverfahren, das dieses Programm nicht beherrscht ({methods})</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="263"/>
        <source>its POP3 servers sign in only with OAuth2, and the file does not say where (no usable &lt;oAuth2&gt; section)</source>
        <translation>seine POP3-Server melden sich nur mit OAuth2 an, und die Datei sagt nicht, wo (kein verwendbarer &lt;oAuth2&gt;-Abschnitt)</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="268"/>
        <source>names no POP3 server</source>
        <translation>nennt keinen POP3-Server</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="269"/>
        <source>the server answered HTTP {status}</source>
        <translation>der Server antwortete mit HTTP {status}</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="270"/>
        <source>not a configuration file: {reason}</source>
        <translation>keine Konfigurationsdatei: {reason}</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="271"/>
        <source>cannot be read: the file is written in the encoding {encoding}, which this program cannot read</source>
        <translation>nicht lesbar: die Datei ist in der Kodierung {encoding} geschrieben, die dieses Programm nicht lesen kann</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="276"/>
        <source>refused: the file declares a DOCTYPE or entities</source>
        <translation>abgelehnt: die Datei deklariert einen DOCTYPE oder Entitäten</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="279"/>
        <source>refused: larger than {limit} bytes</source>
        <translation>abgelehnt: größer als {limit} Bytes</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="280"/>
        <source>refused: {url} is not an http or https address</source>
        <translation>abgelehnt: {url} ist keine http- oder https-Adresse</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="283"/>
        <source>refused: more than {count} redirects</source>
        <translation>abgelehnt: mehr als {count} Weiterleitungen</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="284"/>
        <source>the name does not exist (NXDOMAIN)</source>
        <translation>den Namen gibt es nicht (NXDOMAIN)</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="285"/>
        <source>no {type} records</source>
        <translation>keine {type}-Einträge</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="286"/>
        <source>no answer from the DNS server within {seconds} s</source>
        <translation>keine Antwort vom DNS-Server innerhalb von {seconds} s</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="289"/>
        <source>the DNS query failed: {reason}</source>
        <translation>die DNS-Abfrage schlug fehl: {reason}</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="290"/>
        <source>offered (priority weight port target): {records}</source>
        <translation>angeboten (Priorität Gewicht Port Ziel): {records}</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="293"/>
        <source>not offered (the target is “.”)</source>
        <translation>nicht angeboten (das Ziel ist „.“)</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="294"/>
        <source>the domain receives no mail (null MX)</source>
        <translation>die Domain empfängt keine Mails (Null-MX)</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="295"/>
        <source>mail goes to {host}: its domain {domain} is looked up in the ISPDB</source>
        <translation>Mails gehen an {host}: dessen Domain {domain} wird in der ISPDB nachgeschlagen</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="298"/>
        <source>mail goes to {host}: {domains} are looked up in the ISPDB, in this order</source>
        <translation>Mails gehen an {host}: {domains} werden in dieser Reihenfolge in der ISPDB nachgeschlagen</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="301"/>
        <source>mail goes to {host}, in the address&apos;s own domain: nothing more to look up</source>
        <translation>Mails gehen an {host} in der eigenen Domain der Adresse: nichts weiter nachzuschlagen</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="304"/>
        <source>answers: {greeting}</source>
        <translation>antwortet: {greeting}</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="305"/>
        <source>not waited for: a source ranked higher answered</source>
        <translation>nicht abgewartet: eine höher eingestufte Quelle hat geantwortet</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="308"/>
        <source>stopped: the lookup&apos;s {seconds} s were over</source>
        <translation>abgebrochen: die {seconds} s der Suche waren um</translation>
    </message>
    <message>
        <location filename="../model/messages.py" line="311"/>
        <source>{path} dropped: {reason}</source>
        <translation>{path} verworfen: {reason}</translation>
    </message>
</context>
</TS>
